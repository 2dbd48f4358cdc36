package dev.lethe.testing;

import net.lingala.zip4j.ZipFile;
import net.lingala.zip4j.io.inputstream.ZipInputStream;
import net.lingala.zip4j.model.FileHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a retrieval archive with zip4j (the reader that understands AES), entry name to bytes. */
public final class ArchiveContents {

    private ArchiveContents() {
    }

    /** All entries of a small archive; {@code password} may be null. */
    public static Map<String, byte[]> read(Path zip, String password) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile file = password == null ? new ZipFile(zip.toFile()) : new ZipFile(zip.toFile(), password.toCharArray())) {
            for (FileHeader h : file.getFileHeaders()) {
                try (InputStream in = file.getInputStream(h)) {
                    out.put(h.getFileName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Whether any entry is encrypted. */
    public static boolean encrypted(Path zip) {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            return file.isEncrypted();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Streams the archive entry by entry, never holding more than one line. */
    public static ZipInputStream stream(InputStream in, String password) {
        return password == null ? new ZipInputStream(in) : new ZipInputStream(in, password.toCharArray());
    }
}
