package ds01.lifecycle;

import ds01.limits.EffectiveLimits;
import ds01.limits.LimitKey;
import ds01.limits.UserLimits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.OffsetDateTime;

/** A running container's clocks in the owner's words: when an idle or runtime stop would come, and why. */
@ApplicationScoped
public class Countdowns {

    /**
     * @param idleStopAt    when it is stopped if it stays idle (null: not idle, no idle timeout, or kept alive)
     * @param runtimeStopAt when its maximum runtime ends (null: no maximum)
     * @param signals       what the last check measured
     */
    public record Countdown(OffsetDateTime idleStopAt, OffsetDateTime runtimeStopAt, OffsetDateTime keepAliveUntil,
            String signals) {
    }

    private final UserLimits userLimits;

    public Countdowns(UserLimits userLimits) {
        this.userLimits = userLimits;
    }

    public Countdown of(long containerId, String owner, OffsetDateTime startedAt) {
        EffectiveLimits limits = userLimits.of(owner);
        ContainerClock clock = QuarkusTransaction.requiringNew().call(() -> ContainerClock.<ContainerClock>findById(
                containerId));
        OffsetDateTime keepAlive = clock == null || clock.keepAliveUntil == null
                || clock.keepAliveUntil.isBefore(OffsetDateTime.now()) ? null : clock.keepAliveUntil;
        int window = limits.get(LimitKey.IDLE_DETECTION_WINDOW).value().bound().orElse(3);
        OffsetDateTime idleStop = clock == null || clock.idleSince == null || clock.idleChecks < window
                || keepAlive != null ? null : limits.get(LimitKey.IDLE_TIMEOUT).value().bound()
                        .map(clock.idleSince::plus).orElse(null);
        long extension = clock == null ? 0 : clock.runtimeExtensionSeconds;
        OffsetDateTime runtimeStop = startedAt == null ? null : limits.get(LimitKey.MAX_RUNTIME).value().bound()
                .map(max -> startedAt.plus(max).plus(Duration.ofSeconds(extension))).orElse(null);
        return new Countdown(idleStop, runtimeStop, keepAlive, clock == null ? null : clock.lastSignals);
    }
}
