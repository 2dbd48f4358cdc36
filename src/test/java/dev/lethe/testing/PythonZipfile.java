package dev.lethe.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Opens an archive entry with Python's standard {@code zipfile}, the reader privacy tools use on retrieval
 * archives. Skipped without {@code python3}, except under {@code CI=true}, where it fails.
 */
public final class PythonZipfile {

    /** What the reader printed (the entry, or the error) and its exit code. */
    public record Result(int exitCode, String output) {
    }

    private static final String SCRIPT = "import sys, zipfile\n"
            + "z = zipfile.ZipFile(sys.argv[1])\n"
            + "sys.stdout.write(z.read(sys.argv[2], pwd=sys.argv[3].encode()).decode('utf-8'))\n";

    private PythonZipfile() {
    }

    public static Result read(Path archive, String entry, String password) {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            String message = "python3 is missing: it checks that archives open with Python's standard zipfile";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(message + " [CI=true: this test must not be skipped]");
            }
            Assumptions.abort(message);
        }
        try {
            Process p = new ProcessBuilder(python.toString(), "-c", SCRIPT, archive.toString(), entry, password)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("python3 did not finish");
            }
            return new Result(p.exitValue(), output);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
