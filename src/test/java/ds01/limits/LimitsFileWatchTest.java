package ds01.limits;

import ds01.events.AuditEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The file watch reloads a changed limits file and the audit log records it as the watch's doing. The limits
 * package does not know the audit log: the reload reaches it as a {@link LimitsFileChanged} event.
 */
@QuarkusTest
class LimitsFileWatchTest {

    @Inject
    LimitsFileWatch watch;

    @Inject
    LimitsService limits;

    @Test
    void aChangedFileIsReloadedAndAuditedAsTheWatch() throws Exception {
        long before = reloadsByTheWatch();
        // same content, new modification time: a change to the watch, and the limits stay as they are
        Files.setLastModifiedTime(limits.loadedFrom(), FileTime.from(Instant.now()));
        watch.checkForChanges();
        // the scheduled run may have seen the change first and still be writing its event
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (reloadsByTheWatch() == before && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertEquals(before + 1, reloadsByTheWatch());
    }

    private static long reloadsByTheWatch() {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "action = ?1 and actorKind = ?2 and actor = ?3", "limits.reload", "system", "limits-file-watch"));
    }
}
