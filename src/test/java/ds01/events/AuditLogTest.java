package ds01.events;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
class AuditLogTest {

    @Inject
    AuditLog auditLog;

    @Test
    @Transactional
    void recordsWhoDidWhatToWhat() {
        auditLog.record(Actor.policy("idle-timeout"), "test.container.stop", "proj._.2001", "idle for 30m");
        AuditEvent latest = AuditEvent.latestFor("test.container.stop", 1).get(0);
        assertThat(latest.actorKind).isEqualTo("policy");
        assertThat(latest.actor).isEqualTo("idle-timeout");
        assertThat(latest.target).isEqualTo("proj._.2001");
        assertThat(latest.node).isEqualTo("testnode");
        assertThat(latest.occurredAt).isNotNull();
    }

    @Test
    void anActorMustBeNamed() {
        assertThatThrownBy(() -> Actor.user(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Actor("robot", "x")).hasMessageContaining("user, policy or system");
    }
}
