package ds01.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * testing/bin/nvidia-smi, the stand-in the GPU inventory reads on machines without GPUs, prints
 * the real captures byte for byte, and refuses (rather than invents) what was never captured.
 */
class NvidiaSmiStandInTest {

    static final Path NVIDIA_SMI = Path.of(System.getenv().getOrDefault("DS01_NVIDIA_SMI", "testing/bin/nvidia-smi"));
    static final Path FIXTURES = Path.of("testing/fixtures/nvidia-smi");

    record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    static Result run(String machine, String... args) throws IOException, InterruptedException {
        return runAs(machine, "idle", args);
    }

    static Result runUnderLoad(String machine, String... args) throws IOException, InterruptedException {
        return runAs(machine, "load", args);
    }

    private static Result runAs(String machine, String load, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(NVIDIA_SMI.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("DS01_FAKE_GPU_MACHINE", machine);
        pb.environment().put("DS01_FAKE_GPU_LOAD", load);
        Process p = pb.start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = readAll(p.getInputStream());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "nvidia-smi stand-in did not finish");
        return new Result(p.exitValue(), out, new String(err.join(), StandardCharsets.UTF_8));
    }

    static byte[] readAll(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long migLines(String listing) {
        return listing.lines().filter(l -> l.matches("\\s+MIG \\S+\\s+Device\\s+\\d+: \\(UUID: MIG-[0-9a-f-]+\\)\\r?")).count();
    }

    @Test
    void listOfTheH100WithSevenSlicesIsTheCapture() throws Exception {
        Result r = run("h100-mig-7", "-L");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("h100-mig-7x1g.10gb.L.txt")), r.out());
        assertEquals(7, migLines(r.text()), "7 MIG devices of 1g.10gb");
        assertEquals(1, r.text().lines().filter(l -> l.startsWith("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-")).count());
    }

    @Test
    void listOfTheMixedH100FromNvidiaDocsIsTheCapture() throws Exception {
        Result r = run("h100-mig-mixed-docs", "--list-gpus");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("h100-mig-mixed.L.txt")), r.out());
        assertEquals(4, migLines(r.text()));
    }

    @Test
    void listOfTheMixedH100IsCutExactlyFromTheExporterCapture() throws Exception {
        Result r = run("h100-mig-mixed", "-L");
        assertEquals(0, r.exit(), r.err());
        assertEquals("""
                GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000000)
                  MIG 3g.40gb     Device  0: (UUID: MIG-00000000-0000-0000-0000-000000000000)
                  MIG 2g.20gb     Device  1: (UUID: MIG-00000001-0000-0000-0000-000000000001)
                  MIG 1g.10gb     Device  2: (UUID: MIG-00000002-0000-0000-0000-000000000002)
                  MIG 1g.10gb     Device  3: (UUID: MIG-00000003-0000-0000-0000-000000000003)
                """, r.text());
    }

    @Test
    void machinesWithoutAListCaptureSaySoInsteadOfInventingOne() throws Exception {
        for (String machine : List.of("a100-mig", "t4", "a10g")) {
            Result r = run(machine, "-L");
            assertEquals(97, r.exit(), machine);
            assertEquals(0, r.out().length, machine + " printed something on stdout");
            assertTrue(r.err().contains("no capture of `nvidia-smi -L` for machine " + machine), r.err());
        }
    }

    @Test
    void xmlQueryIsTheCaptureAndA100IsTheDefault() throws Exception {
        Result r = run("a100-mig", "-q", "-x");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("a100-80gb-mig-4x1g.20gb.q.xml")), r.out());
        Result t4 = run("t4", "--query", "--xml-format");
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("tesla-t4-nomig-processes.q.xml")), t4.out());
    }

    @Test
    void queryGpuTakesItsNumbersFromTheCaptures() throws Exception {
        Result a100 = run("a100-mig", "--query-gpu=uuid,memory.total,utilization.gpu", "--format=csv,noheader,nounits");
        assertEquals(0, a100.exit(), a100.err());
        // <uuid>, <fb_memory_usage><total>81920 MiB and <gpu_util>N/A in the A100 XML
        assertEquals("GPU-513536b6-7d19-9063-b049-1e69664bb298, 81920, [N/A]\n", a100.text());

        Result h100 = run("h100-mig-mixed", "--query-gpu=name,memory.total,memory.used", "--format=csv");
        assertEquals(0, h100.exit(), h100.err());
        assertEquals("name, memory.total [MiB], memory.used [MiB]\nNVIDIA H100 80GB HBM3, 81559 MiB, 59 MiB\n", h100.text());

        Result unknown = run("t4", "--query-gpu=clocks_event_reasons.active", "--format=csv");
        assertEquals(97, unknown.exit());
        assertEquals(0, unknown.out().length);
    }

    @Test
    void theWholeH100ReadsIdleOrBusyFromItsTwoCaptures() throws Exception {
        Result idle = run("h100", "--query-gpu=uuid,utilization.gpu,memory.used", "--format=csv,noheader,nounits");
        assertEquals(0, idle.exit(), idle.err());
        assertEquals("GPU-00000000-0000-0000-0000-000000000000, 0, 0\n", idle.text());
        Result busy = runUnderLoad("h100", "--query-gpu=uuid,utilization.gpu,memory.used", "--format=csv,noheader,nounits");
        assertEquals(0, busy.exit(), busy.err());
        assertEquals("GPU-00000000-0000-0000-0000-000000000000, 100, 19818\n", busy.text());
        Result apps = runUnderLoad("h100", "--query-compute-apps=timestamp,gpu_name,gpu_bus_id,gpu_serial,gpu_uuid,pid,"
                + "process_name,used_gpu_memory", "--format=csv");
        assertEquals(4, apps.text().lines().count(), apps.text());
        assertTrue(apps.text().contains("./gpu_burn, 15690 MiB"), apps.text());
        assertEquals("GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-0000-0000-0000-000000000000)\n",
                run("h100", "-L").text());
        Result noXml = run("h100", "-q", "-x");
        assertEquals(97, noXml.exit(), "the excerpt has no XML: the stand-in must not make one up");
        assertEquals(0, noXml.out().length);
    }

    @Test
    void migGpuInstancesOfTheA100WithSevenSlices() throws Exception {
        Result r = run("a100-mig-7", "mig", "-lgi");
        assertEquals(0, r.exit(), r.err());
        assertArrayEquals(Files.readAllBytes(FIXTURES.resolve("a100-mig-7x1g.5gb.lgi.txt")), r.out());
        assertEquals(7, r.text().lines().filter(l -> l.contains("MIG 1g.5gb")).count());
    }

    @Test
    void machineWithoutDriverFailsLikeTheRealTool() throws Exception {
        Result r = run("none", "-L");
        assertEquals(9, r.exit());
        assertTrue(r.text().startsWith("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."));
    }

    @Test
    void unknownOptionIsRefusedWithExitCode2() throws Exception {
        Result r = run("h100-mig-mixed", "--no-such-option");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Invalid combination of input arguments."), r.err());
    }
}
