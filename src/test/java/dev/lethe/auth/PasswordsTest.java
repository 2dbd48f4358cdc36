package dev.lethe.auth;

import dev.lethe.config.LetheConfig;
import dev.lethe.store.StoreConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Console passwords: Argon2id at OWASP's minimum by default, checked at the cost each hash records. */
class PasswordsTest {

    @Test
    void the_default_cost_is_owasps_argon2id_minimum_and_is_recorded_in_the_hash() {
        assertThat(LetheConfig.builder(StoreConfig.sqlite(Path.of("x"))).build().passwordCost()).isEqualTo(Passwords.Cost.OWASP_MINIMUM);
        String hash = new Passwords(Passwords.Cost.OWASP_MINIMUM).hash("correct horse battery");
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
    }

    @Test
    void a_hash_made_at_one_cost_is_checked_at_that_cost_by_any_instance() {
        String cheap = new Passwords(new Passwords.Cost(64, 1)).hash("correct horse battery");
        Passwords standard = new Passwords(Passwords.Cost.OWASP_MINIMUM);
        assertThat(standard.matches("correct horse battery", cheap)).isTrue();
        assertThat(standard.matches("correct horse batterY", cheap)).isFalse();
        assertThat(standard.matches("correct horse battery", null)).as("no password set").isFalse();
    }

    @Test
    void short_passwords_and_a_cost_below_argon2s_floor_are_refused() {
        assertThatThrownBy(() -> new Passwords(Passwords.Cost.OWASP_MINIMUM).hash("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a password needs at least 12 characters");
        assertThatThrownBy(() -> new Passwords.Cost(4, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
