package dev.lethe.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one configured {@link ObjectMapper} of the application. */
public final class Json {

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * How deep a payload from outside may nest (the batch array and the record count as levels).
     * Mixpanel documents 3 levels of nested objects in a property; 20 keeps every SDK payload and
     * keeps anything stored far below Jackson's write limit of 1000, which an export adds levels to.
     */
    public static final int MAX_UNTRUSTED_DEPTH = 20;

    /** The mapper for input from outside: {@link #MAPPER}'s features with the nesting bounded. */
    public static final ObjectMapper UNTRUSTED = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_UNTRUSTED_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // why: prebuilt reader and writer skip the per-call type and serializer lookups of the
    // mapper's convenience methods, a tenth of the bulk path's time.
    private static final ObjectReader TREE_READER = UNTRUSTED.readerFor(JsonNode.class);
    private static final ObjectWriter WRITER = MAPPER.writer();

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Serialises a value that is known to be serialisable (records, maps, nodes). */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses untrusted JSON bytes into a tree, a number too small for a double read as NaN (see
     * {@link #untrustedParser}); the caller turns a failure into the client's error.
     */
    public static JsonNode readTree(byte[] json) throws java.io.IOException {
        try (JsonParser p = untrustedParser(json, 0, json.length)) {
            JsonNode node = TREE_READER.readTree(p);
            // why: from a parser, empty input reads as null; from bytes it read as a missing node.
            return node == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : node;
        }
    }

    /**
     * A streaming parser over untrusted JSON bytes, with the nesting bounded. A float too large for a
     * double reads as an infinity and one too small as NaN ({@link UnderflowAsNaN}), never as a number
     * the client did not send; whoever stores the values refuses both.
     */
    public static JsonParser untrustedParser(byte[] json, int offset, int length) throws java.io.IOException {
        return new UnderflowAsNaN(UNTRUSTED.createParser(json, offset, length));
    }

    /** Parses JSON that Lethe wrote itself (from the store); a failure is a bug, not bad input. */
    public static JsonNode readTrusted(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON is corrupt", e);
        }
    }
}
