package ds01.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The slots of one machine, from {@code nvidia-smi -q -x} and {@code nvidia-smi -L} together, and for each GPU
 * that offers none, why (so the admin page can say it).
 */
public record Inventory(List<Slot> slots, Map<Integer, String> gpusWithoutSlots) {

    public static Inventory of(Optional<GpuReport> report, Optional<MigListing> listing) {
        List<Slot> slots = new ArrayList<>();
        Map<Integer, String> without = new LinkedHashMap<>();
        Map<Integer, MigListing.ListedGpu> listed = new LinkedHashMap<>();
        listing.ifPresent(l -> l.gpus().forEach(g -> listed.put(g.index(), g)));
        if (report.isPresent()) {
            for (GpuReport.PhysicalGpu gpu : report.get().gpus()) {
                if (!gpu.migEnabled()) {
                    slots.add(new Slot(String.valueOf(gpu.index()), gpu.uuid(), gpu.index(), Optional.empty(), 1.0));
                    continue;
                }
                MigListing.ListedGpu fromListing = listed.get(gpu.index());
                if (fromListing != null && !fromListing.migDevices().isEmpty()) {
                    addMigSlots(slots, fromListing);
                } else if (gpu.migDevicesInXml() == 0) {
                    without.put(gpu.index(), "MIG mode is on but the GPU has no MIG devices: create them "
                            + "(nvidia-smi mig -cgi ... -C) or turn MIG off");
                } else {
                    without.put(gpu.index(), "MIG devices exist but their UUIDs are unknown: this driver's XML omits "
                            + "them and nvidia-smi -L did not list them");
                }
            }
        } else {
            for (MigListing.ListedGpu gpu : listed.values()) {
                if (gpu.migDevices().isEmpty()) {
                    slots.add(new Slot(String.valueOf(gpu.index()), gpu.uuid(), gpu.index(), Optional.empty(), 1.0));
                } else {
                    addMigSlots(slots, gpu);
                }
            }
        }
        return new Inventory(List.copyOf(slots), Map.copyOf(without));
    }

    private static void addMigSlots(List<Slot> slots, MigListing.ListedGpu gpu) {
        for (MigListing.ListedMigDevice device : gpu.migDevices()) {
            slots.add(new Slot(gpu.index() + "." + device.device(), device.uuid(), gpu.index(),
                    Optional.of(device.profile()), ComputeSlices.weight(device.profile(), gpu.name())));
        }
    }

    public double totalWeight() {
        return slots.stream().mapToDouble(Slot::weight).sum();
    }
}
