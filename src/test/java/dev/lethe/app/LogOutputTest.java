package dev.lethe.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.config.LetheConfig.LogFormat;
import dev.lethe.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --log-format}: the process's stderr appender switches to one JSON object per line, with the request id. */
class LogOutputTest {

    private final PrintStream stderr = System.err;

    @AfterEach
    void restore() {
        System.setErr(stderr);
        LogOutput.use(LogFormat.TEXT);
        MDC.clear();
    }

    @Test
    void json_writes_one_object_per_line_with_the_request_id() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogOutput.use(LogFormat.JSON);

        MDC.put("request_id", "req-1234");
        LoggerFactory.getLogger(LogOutputTest.class).info("first {} line", "formatted");
        MDC.remove("request_id");
        LoggerFactory.getLogger(LogOutputTest.class).warn("second line");

        String[] lines = captured.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertThat(lines).hasSize(2);
        JsonNode first = Json.readTrusted(lines[0]);
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("first formatted line");
        assertThat(first.get("mdc").get("request_id").asText()).isEqualTo("req-1234");
        assertThat(Json.readTrusted(lines[1]).get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void text_is_the_plain_pattern() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LogOutput.use(LogFormat.TEXT);

        LoggerFactory.getLogger(LogOutputTest.class).info("plain");

        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("INFO ").contains(" - plain").doesNotStartWith("{");
    }
}
