package dev.lethe.query;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.event.PropertyShape;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The export copies each stored property as the text it was stored as ({@link EventExport#copyOwn}): the line must
 * hold exactly the stored properties but the fixed keys, whatever they hold and wherever the fixed keys stand.
 */
class EventExportCopyTest {

    private static final List<String> STORED = List.of(
            "{}",
            "{\"time\":1700000000,\"distinct_id\":\"ada\",\"$insert_id\":\"i-1\"}",
            "{\"time\":1700000000,\"plan\":\"pro\",\"distinct_id\":\"ada\",\"n\":-12.5e3,\"$insert_id\":\"i-1\"}",
            "{\"a\":{\"time\":2,\"b\":[1,{\"distinct_id\":\"nested stays\"},[]]},\"token\":\"t\",\"z\":null}",
            "{\"quote\":\"say \\\"hi\\\", then \\\\ go\",\"ctrl\":\"tab\\tnew\\nline\",\"u\":\"\\u2028\"}",
            "{\"émoji 😀\":\"naïve – 漢字 😀\",\"big\":123456789012345678901234567890,\"t\":true,\"f\":false}",
            "{ \"spaced\" : [ 1 , 2 ] ,\n \"time\" : 5 , \"last\" : { } }",
            "{\"mp_processing_time_ms\":1,\"only\":\"field after a fixed one\"}",
            "{\"\\u0074ime\":3,\"kept\":1,\"tim\\u0065s\":[\"}\"],\"distinct_id \":2}",
            "{\"n\":-0.5E-7,\"e\":\"\",\"deep\":[[[{\"x\":[{}]}]]],\"s\":\"[{\\\"\"}\n");

    @Test
    void a_line_holds_the_stored_properties_but_the_fixed_keys() throws IOException {
        for (String stored : STORED) {
            assertThat(copied(stored)).as(stored).isEqualTo(expected(stored));
        }
    }

    @Test
    void random_properties_copy_exactly() throws IOException {
        Random random = new Random(20261129L);
        String[] names = {"time", "distinct_id", "$insert_id", "token", "mp_processing_time_ms", "plan", "$browser", "ñ", "a b", ""};
        for (int n = 0; n < 500; n++) {
            ObjectNode props = Json.object();
            int fields = random.nextInt(8);
            for (int f = 0; f < fields; f++) {
                String name = names[random.nextInt(names.length)] + (random.nextInt(3) == 0 ? "" : Integer.toString(f));
                props.set(name, value(random, 2));
            }
            String stored = Json.write(props);
            assertThat(copied(stored)).as(stored).isEqualTo(expected(stored));
        }
    }

    @Test
    void stored_text_that_is_not_an_object_is_refused() {
        for (String bad : List.of("[1,2]", "\"text\"", "", "{", "{\"a\":1", "{\"a\":1}x", "{\"a\"}", "{\"a\":}",
                "{\"a\":1,}", "{a:1}", "{\"a\":[1,2}", "{\"a\":\"open}")) {
            assertThatThrownBy(() -> copied(bad)).as(bad).isInstanceOf(IllegalStateException.class);
        }
    }

    /** The properties a line gets: one fixed field written first, as the export does, then the copy. */
    private static JsonNode copied(String stored) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            gen.writeStartObject();
            gen.writeNumberField("time", 42);
            byte[] text = ("padding" + stored + "padding").getBytes(StandardCharsets.UTF_8);
            int from = "padding".length();
            EventExport.copyOwn(gen, text, from, text.length - from);
            gen.writeEndObject();
        }
        return Json.readTrusted(out.toString(StandardCharsets.UTF_8));
    }

    private static JsonNode expected(String stored) {
        ObjectNode out = Json.object();
        out.put("time", 42);
        Json.readTrusted(stored).fields().forEachRemaining(f -> {
            if (!PropertyShape.FIXED.contains(f.getKey())) {
                out.set(f.getKey(), f.getValue());
            }
        });
        return out;
    }

    private static JsonNode value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 7 : 5)) {
            case 0 -> Json.MAPPER.getNodeFactory().textNode(text(random));
            case 1 -> Json.MAPPER.getNodeFactory().numberNode(random.nextLong());
            case 2 -> Json.MAPPER.getNodeFactory().numberNode(random.nextDouble() * 1e6);
            case 3 -> Json.MAPPER.getNodeFactory().booleanNode(random.nextBoolean());
            case 4 -> Json.MAPPER.getNodeFactory().nullNode();
            case 5 -> {
                var array = Json.MAPPER.getNodeFactory().arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(value(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = Json.object();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set(text(random), value(random, depth - 1));
                }
                yield object;
            }
        };
    }

    private static String text(Random random) {
        String alphabet = "ab \"\\/\t\n,:{}[]é漢😀\u2028";
        StringBuilder s = new StringBuilder();
        for (int i = random.nextInt(8); i > 0; i--) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                s.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                s.append(c);
            }
        }
        return s.toString();
    }
}
