package dev.lethe.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Sealer.Encoded} locates each field of what {@link Sealer#encode} wrote, as the export reads them. */
class SealerEncodedTest {

    @Test
    void each_field_is_found_where_it_was_encoded_whatever_its_length_and_characters() {
        String[] fields = {"ada 😀 漢字", "", "{\"plan\":\"pro\",\"ñ\":\"x\"}"};
        Sealer.Encoded encoded = new Sealer.Encoded(Sealer.encode(fields));
        for (int i = 0; i < fields.length; i++) {
            int from = encoded.from(i);
            byte[] expected = fields[i].getBytes(StandardCharsets.UTF_8);
            assertThat(encoded.length(from)).isEqualTo(expected.length);
            assertThat(Arrays.copyOfRange(encoded.bytes(), from, from + encoded.length(from))).isEqualTo(expected);
            assertThat(encoded.text(i)).isEqualTo(fields[i]);
        }
        assertThat(Sealer.decode(encoded.bytes())).containsExactly(fields);
    }

    @Test
    void a_field_past_the_last_is_refused() {
        Sealer.Encoded encoded = new Sealer.Encoded(Sealer.encode("a", "b"));
        assertThatThrownBy(() -> encoded.from(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoded.from(7)).isInstanceOf(IllegalArgumentException.class);
    }
}
