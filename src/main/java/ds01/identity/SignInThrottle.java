package ds01.identity;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brakes on password guessing: failed sign-ins are counted per user name and per address over a window;
 * past a few, every attempt waits longer; past many, sign-in is refused until the window has passed.
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Duration MAX_DELAY = Duration.ofSeconds(5);

    private final SessionConfig config;
    private final Clock clock;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    @Inject
    public SignInThrottle(SessionConfig config) {
        this(config, Clock.systemUTC());
    }

    SignInThrottle(SessionConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** When sign-in is refused for this user name or address, until when; empty when it may proceed. */
    public Optional<Instant> refusedUntil(String username, String address) {
        return worst(username, address).filter(d -> d.size() >= config.refuseAfterFailures())
                .map(d -> d.peekFirst().plus(config.failureWindow()));
    }


    /** How long to hold this attempt back: nothing for the first few failures, then a second more each time. */
    public Duration delay(String username, String address) {
        int count = worst(username, address).map(Deque::size).orElse(0);
        int over = count - config.slowAfterFailures() + 1;
        if (over <= 0) {
            return Duration.ZERO;
        }
        Duration delay = Duration.ofSeconds(over);
        return delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        for (String key : new String[] {"user:" + username, "addr:" + address}) {
            Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
            synchronized (times) {
                times.addLast(now);
            }
        }
    }

    /** A good sign-in clears the user's count; the address keeps its record (one address, many guessed names). */
    public void succeeded(String username) {
        failures.remove("user:" + username);
    }

    private Optional<Deque<Instant>> worst(String username, String address) {
        Deque<Instant> user = recent("user:" + username);
        Deque<Instant> addr = recent("addr:" + address);
        // an address counts one failure for every `allowance` of its own, keeping the oldest times
        Deque<Instant> scaled = new ArrayDeque<>();
        int i = 0;
        for (Instant time : addr) {
            if (i++ % config.addressAllowance() == 0) {
                scaled.addLast(time);
            }
        }
        if (addr.size() % config.addressAllowance() != 0) {
            scaled.pollLast();
        }
        return Optional.of(user.size() >= scaled.size() ? user : scaled);
    }

    private Deque<Instant> recent(String key) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return new ArrayDeque<>();
        }
        Instant cutoff = clock.instant().minus(config.failureWindow());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(cutoff)) {
                times.removeFirst();
            }
            return new ArrayDeque<>(times);
        }
    }
}
