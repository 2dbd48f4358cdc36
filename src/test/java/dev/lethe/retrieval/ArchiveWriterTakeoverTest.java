package dev.lethe.retrieval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Two workers writing one archive, as when a lease expires under a slow worker that then gives up. */
class ArchiveWriterTakeoverTest {

    @TempDir
    Path tmp;

    @Test
    void a_writer_that_gives_up_leaves_the_file_of_the_writer_that_took_over_alone() throws Exception {
        Path target = tmp.resolve("archives/1/abc.zip");
        ArchiveWriter slow = ArchiveWriter.open(target, ArchiveEncryption.NONE, null, 0);
        ArchiveWriter takeover = ArchiveWriter.open(target, ArchiveEncryption.NONE, null, 0);
        slow.close();
        try (OutputStream out = takeover.entry("events.jsonl")) {
            out.write("{}\n".getBytes(StandardCharsets.UTF_8));
        }
        takeover.publish();
        takeover.close();
        assertThat(target).exists();
    }

    @Test
    void publishing_removes_the_partial_file_a_killed_writer_left() throws Exception {
        Path target = tmp.resolve("archives/1/abc.zip");
        ArchiveWriter.open(target, ArchiveEncryption.NONE, null, 0);
        ArchiveWriter rerun = ArchiveWriter.open(target, ArchiveEncryption.NONE, null, 0);
        rerun.entry("events.jsonl").close();
        rerun.publish();
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("abc.zip", ArchiveFiles.PARTIALS);
        }
        try (Stream<Path> files = Files.list(ArchiveFiles.partials(target))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void partial_files_an_earlier_version_left_beside_the_archives_are_removed_and_nothing_else() throws Exception {
        Path project = tmp.resolve("archives/1");
        Files.createDirectories(project);
        Files.writeString(project.resolve("abc.zip.0c1d2e3f.partial"), "half an archive");
        Files.writeString(project.resolve("abd.zip.partial"), "half an archive of an older layout");
        Files.writeString(project.resolve("abe.zip"), "a finished archive");
        ArchiveWriter writing = ArchiveWriter.open(project.resolve("abf.zip"), ArchiveEncryption.NONE, null, 0);

        assertThat(new ArchiveFiles(tmp).removeLegacyPartials()).isEqualTo(2);

        try (Stream<Path> files = Files.list(project)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("abe.zip", ArchiveFiles.PARTIALS);
        }
        writing.entry("events.jsonl").close();
        writing.publish();
        assertThat(project.resolve("abf.zip")).as("an archive being written is not in the way").exists();
        assertThat(new ArchiveFiles(tmp).removeLegacyPartials()).isZero();
    }

    @Test
    void the_sweep_of_old_partial_files_runs_once_for_the_data_directory() throws Exception {
        Path project = tmp.resolve("archives").resolve("7");
        Files.createDirectories(project);
        Files.writeString(project.resolve("old.zip.1a2b3c4d.partial"), "left by a killed writer");
        assertThat(new ArchiveFiles(tmp).removeLegacyPartials()).isEqualTo(1);

        Files.writeString(project.resolve("later.zip.5e6f7a8b.partial"), "not read again");

        assertThat(new ArchiveFiles(tmp).removeLegacyPartials()).isZero();
        assertThat(project.resolve("later.zip.5e6f7a8b.partial")).exists();
    }
}
