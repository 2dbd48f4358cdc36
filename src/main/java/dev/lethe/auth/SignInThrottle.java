package dev.lethe.auth;

import dev.lethe.domain.DomainException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing: after {@code perAccount} failed sign-ins to one account, or
 * {@code perAddress} from one IP address, within {@code window}, further attempts are refused
 * (429, before the password is even checked) until the oldest of those failures leaves the window.
 * Kept in memory: each instance throttles what reaches it, and a restart forgets, which costs an
 * attacker a restart per few guesses at most.
 */
public final class SignInThrottle {

    /** At most this many accounts and addresses are tracked; past it the quietest are forgotten. */
    static final int MAX_KEYS = 100_000;

    private final Clock clock;
    private final Duration window;
    private final int perAccount;
    private final int perAddress;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public SignInThrottle(Clock clock, Duration window, int perAccount, int perAddress) {
        this.clock = clock;
        this.window = window;
        this.perAccount = perAccount;
        this.perAddress = perAddress;
    }

    /** The defaults of {@code lethe serve}: 5 failures per account, 20 per address, in 15 minutes. */
    public static SignInThrottle standard(Clock clock) {
        return new SignInThrottle(clock, Duration.ofMinutes(15), 5, 20);
    }

    /** Throws a rate-limited refusal if this account or address has failed too often lately. */
    public void check(String email, String address) {
        long now = clock.millis();
        long wait = Math.max(waitMillis(accountKey(email), perAccount, now), waitMillis(addressKey(address), perAddress, now));
        if (wait > 0) {
            long seconds = Math.max(1, (wait + 999) / 1000);
            throw DomainException.rateLimited("too many failed sign-ins; try again in " + seconds + " s", seconds);
        }
    }

    public void failed(String email, String address) {
        long now = clock.millis();
        if (failures.size() >= MAX_KEYS) {
            failures.entrySet().removeIf(e -> expired(e.getValue(), now));
        }
        record(accountKey(email), perAccount, now);
        record(addressKey(address), perAddress, now);
    }

    private long waitMillis(String key, int limit, long now) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        synchronized (times) {
            prune(times, now);
            return times.size() < limit ? 0 : times.peekFirst() + window.toMillis() - now;
        }
    }

    private void record(String key, int limit, long now) {
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            prune(times, now);
            times.addLast(now);
            while (times.size() > limit) {
                times.removeFirst();
            }
        }
    }

    private void prune(Deque<Long> times, long now) {
        while (!times.isEmpty() && (times.peekFirst() + window.toMillis() <= now || times.peekFirst() > now)) {
            times.removeFirst();
        }
    }

    private boolean expired(Deque<Long> times, long now) {
        synchronized (times) {
            prune(times, now);
            return times.isEmpty();
        }
    }

    private static String accountKey(String email) {
        return "a:" + (email == null ? "" : email.trim().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "i:" + (address == null ? "" : address);
    }
}
