package dev.lethe.auth;

import dev.lethe.project.Project;
import dev.lethe.project.Region;
import dev.lethe.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules by which {@link CallerCache} serves an entry; the store-backed behaviour is in GdprAuthCacheContract. */
class CallerCacheTest {

    private static final Duration TTL = Duration.ofSeconds(1);
    private static final GdprCaller CALLER = new GdprCaller(new Project(1, "p", "ptoken", Region.US, 0), "a@example.com", "user", Role.OWNER);

    private final MutableClock clock = MutableClock.at("2026-11-28T09:15:02Z");
    private final CredentialChanges changes = new CredentialChanges();
    private final CallerCache cache = new CallerCache(changes, clock, TTL, 3);

    private void put(String key, long expiresAt) {
        cache.put(key, CALLER, changes.current(), clock.millis(), expiresAt);
    }

    @Test
    void an_entry_is_served_until_its_ttl_has_passed() {
        put("k", Long.MAX_VALUE);
        clock.advance(TTL.minusMillis(1));
        assertThat(cache.get("k")).isEqualTo(CALLER);
        clock.advance(Duration.ofMillis(1));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void an_entry_is_not_served_once_its_credential_has_expired() {
        put("k", clock.millis() + 10);
        clock.advance(Duration.ofMillis(10));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void any_change_in_this_process_makes_every_entry_stale() {
        put("k", Long.MAX_VALUE);
        changes.changed();
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void an_entry_filled_with_credentials_read_before_a_change_is_never_served() {
        long generation = changes.current();
        changes.changed();
        cache.put("k", CALLER, generation, clock.millis(), Long.MAX_VALUE);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void a_clock_set_back_does_not_stretch_an_entry() {
        put("k", Long.MAX_VALUE);
        clock.advance(Duration.ofMillis(-1));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void the_cache_never_holds_more_than_its_bound() {
        for (int i = 0; i < 10; i++) {
            put("k" + i, Long.MAX_VALUE);
            assertThat(cache.size()).isLessThanOrEqualTo(3);
        }
        assertThat(cache.get("k9")).isEqualTo(CALLER);
    }

    @Test
    void a_zero_ttl_keeps_nothing() {
        CallerCache off = new CallerCache(changes, clock, Duration.ZERO, 3);
        off.put("k", CALLER, changes.current(), clock.millis(), Long.MAX_VALUE);
        assertThat(off.get("k")).isNull();
    }
}
