package dev.lethe.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.json.Json;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs one of the scripts in src/test/node/mixpanel-import that drive {@code mixpanel-import}, the
 * npm registry's most used Mixpanel import/export tool, pointed at Lethe. {@code .ci/run} installs
 * it ({@code .ci/npm-tools.sh}); without it a test is skipped, and fails under {@code CI=true}.
 */
public final class MixpanelImportTool {

    private static final Path DIR = Path.of("src", "test", "node", "mixpanel-import");

    private MixpanelImportTool() {
    }

    /**
     * Runs {@code node <script> args...} in {@code workDir} (where the tool writes its files) and
     * returns the summary the script prints as its last line.
     */
    public static JsonNode run(String script, Path workDir, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        requireInstalled();
        List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(workDir, "tool", ".stderr");
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile()).redirectError(stderr.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mixpanel-import did not finish within 120 s");
        }
        assertThat(p.exitValue()).as("mixpanel-import exit code; stderr: %s", Files.readString(stderr)).isZero();
        return Json.readTrusted(out.substring(out.lastIndexOf('\n') + 1));
    }

    private static void requireInstalled() {
        boolean installed = Files.isRegularFile(DIR.resolve("node_modules/mixpanel-import/package.json"));
        String message = "mixpanel-import is not installed; run bash .ci/npm-tools.sh";
        if ("true".equals(System.getenv("CI"))) {
            assertThat(installed).as(message + " [CI=true: this test must not be skipped]").isTrue();
        }
        Assumptions.assumeTrue(installed, message);
    }
}
