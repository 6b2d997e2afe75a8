package ds01.containers;

import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.gpu.Allocator;
import ds01.gpu.GpuQueue;
import ds01.identity.HostAccount;
import ds01.identity.HostAccounts;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * Deploys that wait in the GPU queue: continued when the queue grants their GPUs, closed when their request ends
 * without a grant, so that none stays queued for good.
 */
@ApplicationScoped
public class QueuedDeploys {

    private final DeployFlow flow;
    private final HostAccounts accounts;
    private final Allocator allocator;
    private final AuditLog auditLog;

    public QueuedDeploys(DeployFlow flow, HostAccounts accounts, Allocator allocator, AuditLog auditLog) {
        this.flow = flow;
        this.accounts = accounts;
        this.allocator = allocator;
        this.auditLog = auditLog;
    }

    /** A queued deploy got its GPUs: make and start its container now. */
    void onGranted(@Observes GpuQueue.RequestGranted granted) {
        if (granted.containerId() == null) {
            return;
        }
        ContainerRecord record = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(granted.containerId()));
        if (record == null || record.state != ContainerState.queued) {
            if (record != null && record.retiredAt != null) {
                // closed while it waited: the slots were granted to nobody
                allocator.releaseContainer(record.id, Actor.system("deploy"), "its container was closed while it waited");
            }
            return;
        }
        Optional<HostAccount> account = accounts.find(granted.username());
        if (account.isEmpty()) {
            allocator.releaseContainer(record.id, Actor.system("deploy"), "the owner's host account is gone");
            ContainerRecord.closeAlone(record.id, ContainerState.failed);
            return;
        }
        flow.resume(record, account.get(), granted.slots());
    }

    /**
     * The GPU request a queued deploy waited for ended without a grant (refused: the owner's limits no longer let it;
     * expired; cancelled): nothing will continue the deploy, so its record closes rather than wait queued for good.
     */
    void onRequestEnded(@Observes GpuQueue.RequestEnded ended) {
        if (ended.containerId() == null) {
            return;
        }
        ContainerRecord record = QuarkusTransaction.requiringNew().call(() -> ContainerRecord.findById(ended.containerId()));
        if (record == null || record.retiredAt != null || record.state != ContainerState.queued) {
            // a deploy refused before it queued closes itself
            return;
        }
        ContainerRecord.closeAlone(record.id, ContainerState.failed);
        auditLog.record(Actor.policy("gpu-queue"), "container.deploy-failed", record.name, "its GPU request was "
                + ended.state() + ": " + ended.reason());
    }
}
