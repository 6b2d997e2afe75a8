package ds01.gpu;

import java.util.Optional;

/** Inventories the tests build from nvidia-smi -L text: the real captures hold one GPU each. */
final class TestInventories {

    private TestInventories() {
    }

    /** {@code gpus} A100s, each split into {@code slices} 1g.10gb MIG devices: slot ids "0.0", "0.1", ... */
    static Inventory migSlices(int gpus, int slices) {
        StringBuilder listing = new StringBuilder();
        for (int gpu = 0; gpu < gpus; gpu++) {
            listing.append("GPU ").append(gpu).append(": NVIDIA A100-SXM4-80GB (UUID: GPU-0000000").append(gpu)
                    .append("-0000-0000-0000-000000000000)\n");
            for (int dev = 0; dev < slices; dev++) {
                listing.append("  MIG 1g.10gb     Device  ").append(dev).append(": (UUID: MIG-0000000").append(gpu)
                        .append("-000").append(dev).append("-0000-0000-000000000000)\n");
            }
        }
        return Inventory.of(Optional.empty(), Optional.of(MigListing.parse(listing.toString())));
    }
}
