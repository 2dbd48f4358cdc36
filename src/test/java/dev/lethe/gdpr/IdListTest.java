package dev.lethe.gdpr;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The operator's id list: pasted lines and a CSV file's bytes, each refused line named by number and reason. */
class IdListTest {

    @Test
    void a_csv_line_that_is_not_utf8_is_refused_by_its_number_and_the_others_are_read() {
        IdList list = IdList.parse(null, csv("distinct_id\r\nada\r\nJos", new byte[] {(byte) 0xe9}, "\r\n\"bo\",x\r\n"));
        assertThat(list.ids()).containsExactly("ada", "bo");
        assertThat(list.refused()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("CSV file");
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.reason()).contains("not valid UTF-8");
        });
        assertThat(list.acceptable()).isFalse();
    }

    @Test
    void a_utf8_csv_with_a_byte_order_mark_and_mixed_line_ends_reads_as_text_would() {
        IdList list = IdList.parse("zoë\n\nada", csv(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, "distinct_id\rzoë\nchloé\r\n"));
        assertThat(list.ids()).containsExactly("zoë", "ada", "chloé");
        assertThat(list.repeats()).isEqualTo(1);
        assertThat(list.refused()).isEmpty();
    }

    private static byte[] csv(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }
}
