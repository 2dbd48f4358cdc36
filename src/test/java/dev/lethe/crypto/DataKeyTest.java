package dev.lethe.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A data key moved from one wrapping key to another ({@link DataKey#rewrap}), as a bucket's re-key moves its members. */
class DataKeyTest {

    private static final byte[] ROW = "row 1".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PLAIN = "what the person sent".getBytes(StandardCharsets.UTF_8);

    @Test
    void a_rewrapped_key_opens_under_the_new_wrapping_key_only_and_is_still_the_same_key() {
        DataKey from = DataKey.generate();
        DataKey to = DataKey.generate();
        DataKey key = DataKey.generate();
        byte[] sealedWithKey = key.seal(ROW, PLAIN);

        byte[] rewrapped = DataKey.rewrap(from, to, ROW, key.wrap(from, ROW));

        assertThat(rewrapped).isNotNull();
        assertThat(DataKey.unwrap(from, ROW, rewrapped)).as("the old wrapping key no longer opens it").isNull();
        DataKey moved = DataKey.unwrap(to, ROW, rewrapped);
        assertThat(moved).isNotNull();
        assertThat(moved.open(ROW, sealedWithKey)).as("the same key: it opens what the key sealed").isEqualTo(PLAIN);
    }

    @Test
    void many_keys_move_in_turn_with_other_keys_sealed_and_opened_between() {
        DataKey from = DataKey.generate();
        DataKey to = DataKey.generate();
        DataKey other = DataKey.generate();
        for (int i = 0; i < 20; i++) {
            byte[] row = ("row " + i).getBytes(StandardCharsets.UTF_8);
            DataKey key = DataKey.generate();
            // why: the per-thread ciphers change keys in between, as a thread's other work makes them
            assertThat(other.open(row, other.seal(row, PLAIN))).isEqualTo(PLAIN);
            byte[] rewrapped = DataKey.rewrap(from, to, row, key.wrap(from, row));
            assertThat(DataKey.unwrap(to, row, rewrapped).open(row, key.seal(row, PLAIN))).isEqualTo(PLAIN);
        }
    }

    @Test
    void nothing_comes_of_a_key_wrapped_by_another_key_or_for_another_row() {
        DataKey from = DataKey.generate();
        DataKey to = DataKey.generate();
        byte[] wrapped = DataKey.generate().wrap(from, ROW);

        assertThat(DataKey.rewrap(DataKey.generate(), to, ROW, wrapped)).isNull();
        assertThat(DataKey.rewrap(from, to, "row 2".getBytes(StandardCharsets.UTF_8), wrapped)).isNull();
        assertThat(DataKey.rewrap(from, to, ROW, new byte[3])).as("too short to hold a nonce and tag").isNull();
    }
}
