package ds01.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;

import ds01.testing.CleanMachine;
import ds01.testing.TestMachine;

/**
 * The real Docker engine accepts a GPU request the way the portal will make it: a
 * {@link DeviceRequest} for driver "nvidia" naming MIG device UUIDs, as {@code nvidia-smi -L}
 * prints them. There is no GPU here; testing/run-tests.sh starts dockerd with the stand-in
 * {@code nvidia-container-runtime-hook} on its PATH, so dockerd registers its nvidia driver and
 * hands the device IDs to the container as {@code NVIDIA_VISIBLE_DEVICES}, which is what we check.
 */
@ExtendWith(CleanMachine.class)
class GpuDeviceRequestTest {

    static final String BASE_IMAGE = "ds01-test/base:latest";
    static final Path H100_7_SLICES = Path.of("testing/fixtures/nvidia-smi/h100-mig-7x1g.10gb.L.txt");
    static final Pattern MIG_UUID = Pattern.compile("\\(UUID: (MIG-[0-9a-f-]+)\\)");

    static DockerClient engine;
    static String host;

    @BeforeAll
    static void connect() {
        host = System.getenv().getOrDefault("DS01_DOCKER_HOST", EngineConnection.DEFAULT_HOST);
        engine = EngineConnection.open(host);
        try {
            engine.pingCmd().exec();
        } catch (RuntimeException e) {
            fail("No Docker engine answers at " + host + " (" + e + "). Run the tests with "
                    + "testing/run-tests.sh: it installs and starts one.", e);
        }
        try {
            engine.inspectImageCmd(BASE_IMAGE).exec();
        } catch (NotFoundException e) {
            fail("The engine at " + host + " has no image " + BASE_IMAGE
                    + ". Run the tests with testing/run-tests.sh: it imports it from busybox-static.");
        }
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (engine != null) {
            engine.close();
        }
    }

    static List<String> migUuids(Path capture) throws IOException {
        List<String> uuids = new ArrayList<>();
        Matcher m = MIG_UUID.matcher(Files.readString(capture, StandardCharsets.UTF_8));
        while (m.find()) {
            uuids.add(m.group(1));
        }
        return uuids;
    }

    /** Runs {@code env} in a container that asks for these GPUs and returns what it printed. */
    String envOfContainerWithGpus(List<String> deviceIds) throws InterruptedException {
        DeviceRequest gpus = new DeviceRequest()
                .withDriver("nvidia")
                .withDeviceIds(deviceIds)
                .withCapabilities(List.of(List.of("gpu")));
        String id = engine.createContainerCmd(BASE_IMAGE)
                .withName("ds01-test-gpu-" + UUID.randomUUID().toString().substring(0, 8))
                .withLabels(Map.of(TestMachine.MADE_BY_A_TEST, "GpuDeviceRequestTest"))
                .withCmd("env")
                .withHostConfig(HostConfig.newHostConfig().withDeviceRequests(List.of(gpus)))
                .exec()
                .getId();
        engine.startContainerCmd(id).exec();
        int exit = engine.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
        assertEquals(0, exit, "env in the GPU container exited with " + exit);

        StringBuilder out = new StringBuilder();
        engine.logContainerCmd(id).withStdOut(true).withStdErr(true)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                        out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                    }
                })
                .awaitCompletion(30, TimeUnit.SECONDS);
        return out.toString();
    }

    @Test
    void containerAskingForOneMigSliceSeesItsUuid() throws Exception {
        List<String> uuids = migUuids(H100_7_SLICES);
        assertEquals(7, uuids.size(), "the H100 capture lists 7 MIG devices");
        String slice = uuids.get(2);

        String env = envOfContainerWithGpus(List.of(slice));

        assertTrue(env.lines().anyMatch(("NVIDIA_VISIBLE_DEVICES=" + slice)::equals),
                "container env should hold NVIDIA_VISIBLE_DEVICES=" + slice + " but was:\n" + env);
    }

    @Test
    void containerAskingForTwoMigSlicesSeesBoth() throws Exception {
        List<String> uuids = migUuids(H100_7_SLICES);
        List<String> two = List.of(uuids.get(0), uuids.get(6));

        String env = envOfContainerWithGpus(two);

        String expected = "NVIDIA_VISIBLE_DEVICES=" + String.join(",", two);
        assertTrue(env.lines().anyMatch(expected::equals),
                "container env should hold " + expected + " but was:\n" + env);
    }
}
