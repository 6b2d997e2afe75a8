package ds01.testing;

import ds01.gpu.Inventory;
import ds01.gpu.InventoryService;

import java.time.Instant;
import java.util.Optional;

/** The machine as a test builds it (the real captures hold one GPU each), in place of nvidia-smi's reading. */
public class FixedInventory extends InventoryService {

    private final Snapshot snapshot;

    public FixedInventory(Inventory inventory) {
        super(null, null, null);
        this.snapshot = new Snapshot(inventory, Optional.empty(), Instant.now(), Optional.empty());
    }

    @Override
    public Snapshot current() {
        return snapshot;
    }

    @Override
    public synchronized Snapshot refresh() {
        return snapshot;
    }
}
