package ds01.lifecycle;

import ds01.containers.ContainerListing;
import ds01.events.Actor;
import ds01.events.AuditLog;
import ds01.limits.LimitKey;
import ds01.limits.UserLimits;
import ds01.web.TimeWords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What an owner may do about the lifecycle jobs: keep a container alive for a while (not stopped as idle), within
 * {@code keepalive_max_duration}, and extend its runtime, within {@code DS01_MAX_RUNTIME_EXTENSION} in all. Each
 * use is audited.
 */
@ApplicationScoped
public class Lifelines {

    private final ContainerListing listing;
    private final UserLimits userLimits;
    private final AuditLog auditLog;
    private final LifecycleConfig config;

    public Lifelines(ContainerListing listing, UserLimits userLimits, AuditLog auditLog, LifecycleConfig config) {
        this.listing = listing;
        this.userLimits = userLimits;
        this.auditLog = auditLog;
        this.config = config;
    }

    /** @return until when the container is kept alive */
    public Instant keepAlive(String owner, long containerId, Duration asked, Instant now) {
        ContainerListing.ContainerView container = mine(owner, containerId);
        Optional<Duration> most = userLimits.of(owner).get(LimitKey.KEEPALIVE_MAX_DURATION).value().bound();
        if (asked.isNegative() || asked.isZero() || most.isPresent() && asked.compareTo(most.get()) > 0) {
            throw new BadRequestException("Keep alive for up to " + most.map(TimeWords::of).orElse("any time")
                    + ", not " + TimeWords.of(asked) + ".");
        }
        Instant until = now.plus(asked);
        QuarkusTransaction.requiringNew().run(() -> {
            ContainerClock.of(containerId).keepAliveUntil = OffsetDateTime.ofInstant(until, ZoneOffset.UTC);
            auditLog.record(Actor.user(owner), "lifecycle.keep-alive", container.name(), "until " + until);
        });
        return until;
    }

    /** @return the extension in all, now */
    public Duration extendRuntime(String owner, long containerId, Duration asked) {
        ContainerListing.ContainerView container = mine(owner, containerId);
        if (asked.isNegative() || asked.isZero()) {
            throw new BadRequestException("Extend by a positive time.");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            ContainerClock clock = ContainerClock.of(containerId);
            Duration total = Duration.ofSeconds(clock.runtimeExtensionSeconds).plus(asked);
            if (total.compareTo(config.maxRuntimeExtension()) > 0) {
                throw new WebApplicationException("A runtime may be extended by " + TimeWords.of(
                        config.maxRuntimeExtension()) + " in all; " + container.name() + " has "
                        + TimeWords.of(Duration.ofSeconds(clock.runtimeExtensionSeconds)) + " already.", 409);
            }
            clock.runtimeExtensionSeconds = total.toSeconds();
            clock.runtimeWarned = 0;
            auditLog.record(Actor.user(owner), "lifecycle.extend", container.name(), "by " + TimeWords.of(asked)
                    + ", " + TimeWords.of(total) + " in all");
            return total;
        });
    }

    private ContainerListing.ContainerView mine(String owner, long containerId) {
        ContainerListing.ContainerView container = listing.one(containerId).filter(c -> c.owner().equals(owner))
                .orElseThrow(() -> new NotFoundException("You have no container " + containerId + "."));
        if (!container.running()) {
            throw new WebApplicationException(container.name() + " is " + container.state() + ": nothing to keep alive.",
                    409);
        }
        return container;
    }
}
