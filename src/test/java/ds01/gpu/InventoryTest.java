package ds01.gpu;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every real nvidia-smi capture in testing/fixtures/nvidia-smi parses into the right slots. */
class InventoryTest {

    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of("testing/fixtures/nvidia-smi", name));
    }

    @Test
    void teslaT4WithoutMigIsOneWholeGpuSlotWithItsProcesses() throws Exception {
        GpuReport report = GpuReport.parse(fixture("tesla-t4-nomig-processes.q.xml"));
        assertThat(report.driverVersion()).isEqualTo("515.105.01");
        GpuReport.PhysicalGpu gpu = report.gpus().get(0);
        assertThat(gpu.name()).isEqualTo("Tesla T4");
        assertThat(gpu.migEnabled()).isFalse();
        assertThat(gpu.utilisationPercent()).hasValue(0);
        assertThat(gpu.processes()).extracting(GpuReport.GpuProcess::name).containsExactly("/usr/lib/xorg/Xorg", "python");
        assertThat(gpu.processes().get(1).usedMemoryMiB()).isEqualTo(1005);
        Inventory inventory = Inventory.of(Optional.of(report), Optional.empty());
        assertThat(inventory.slots()).containsExactly(
                new Slot("0", "GPU-d37e67a5-91dd-3774-a5cb-99096249601a", 0, Optional.empty(), 1.0));
        assertThat(inventory.gpusWithoutSlots()).isEmpty();
    }

    @Test
    void a10gWithoutMigIsOneWholeGpuSlot() throws Exception {
        Inventory inventory = Inventory.of(Optional.of(GpuReport.parse(fixture("a10g-nomig.q.xml"))), Optional.empty());
        assertThat(inventory.slots()).hasSize(1);
        Slot slot = inventory.slots().get(0);
        assertThat(slot.id()).isEqualTo("0");
        assertThat(slot.uuid()).startsWith("GPU-");
        assertThat(slot.isWholeGpu()).isTrue();
    }

    @Test
    void a100InMigModeWhoseXmlOmitsMigUuidsOffersNoSlotsAndSaysWhy() throws Exception {
        GpuReport report = GpuReport.parse(fixture("a100-80gb-mig-4x1g.20gb.q.xml"));
        GpuReport.PhysicalGpu gpu = report.gpus().get(0);
        assertThat(gpu.migEnabled()).isTrue();
        assertThat(gpu.migDevicesInXml()).isEqualTo(4);
        assertThat(gpu.utilisationPercent()).as("N/A in MIG mode").isEmpty();
        assertThat(gpu.memoryTotalMiB()).isEqualTo(81920);
        Inventory inventory = Inventory.of(Optional.of(report), Optional.empty());
        assertThat(inventory.slots()).isEmpty();
        assertThat(inventory.gpusWithoutSlots().get(0)).contains("UUIDs are unknown");
    }

    @Test
    void h100MixedProfilesWeighTheirComputeSlices() throws Exception {
        Inventory inventory = Inventory.of(Optional.empty(), Optional.of(MigListing.parse(fixture("h100-mig-mixed.L.txt"))));
        List<Slot> slots = inventory.slots();
        assertThat(slots).extracting(Slot::id).containsExactly("0.0", "0.1", "0.2", "0.3");
        assertThat(slots).extracting(s -> s.profile().orElseThrow())
                .containsExactly("3g.40gb", "2g.20gb", "1g.10gb", "1g.10gb");
        assertThat(slots.get(0).weight()).isCloseTo(3.0 / 7, within(1e-9));
        assertThat(slots.get(1).weight()).isCloseTo(2.0 / 7, within(1e-9));
        assertThat(slots.get(2).uuid()).isEqualTo("MIG-9d14fb21-4ae1-546f-a636-011582899c39");
        assertThat(inventory.totalWeight()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void h100SplitIntoSevenSlicesIsSevenSlotsOfOneSeventh() throws Exception {
        Inventory inventory = Inventory.of(Optional.empty(),
                Optional.of(MigListing.parse(fixture("h100-mig-7x1g.10gb.L.txt"))));
        assertThat(inventory.slots()).hasSize(7).allSatisfy(s -> {
            assertThat(s.profile()).contains("1g.10gb");
            assertThat(s.weight()).isCloseTo(1.0 / 7, within(1e-9));
            assertThat(s.uuid()).startsWith("MIG-");
        });
        assertThat(inventory.slots()).extracting(Slot::id).containsExactly("0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6");
    }

    @Test
    void theListingFillsInMigUuidsTheXmlLacks() throws Exception {
        // A100 XML in MIG mode plus a listing for GPU 0: the slots come from the listing
        GpuReport report = GpuReport.parse(fixture("a100-80gb-mig-4x1g.20gb.q.xml"));
        MigListing listing = MigListing.parse("""
                GPU 0: NVIDIA A100-SXM4-80GB (UUID: GPU-513536b6-7d19-9063-b049-1e69664bb298)
                  MIG 1g.20gb     Device  0: (UUID: MIG-11111111-1111-1111-1111-111111111111)
                """);
        Inventory inventory = Inventory.of(Optional.of(report), Optional.of(listing));
        assertThat(inventory.slots()).containsExactly(new Slot("0.0", "MIG-11111111-1111-1111-1111-111111111111", 0,
                Optional.of("1g.20gb"), 1.0 / 7));
    }

    @Test
    void outputThatIsNotNvidiaSmisIsRefusedLoudly() {
        assertThatThrownBy(() -> MigListing.parse("No devices were found\n")).hasMessageContaining("does not understand");
        assertThatThrownBy(() -> GpuReport.parse("<html/>")).hasMessageContaining("not <nvidia_smi_log>");
        assertThatThrownBy(() -> GpuReport.parse("NVIDIA-SMI has failed")).hasMessageContaining("readable XML");
        assertThatThrownBy(() -> ComputeSlices.weight("huge", "H100")).hasMessageContaining("not a MIG profile");
    }
}
