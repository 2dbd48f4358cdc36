package dev.lethe.retrieval;

import dev.lethe.store.PrivateFiles;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import net.lingala.zip4j.model.enums.AesKeyStrength;
import net.lingala.zip4j.model.enums.CompressionMethod;
import net.lingala.zip4j.model.enums.EncryptionMethod;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes one ZIP archive entry by entry, streaming: nothing is held in memory beyond the
 * compressor's buffers. Each entry's size and SHA-256 are computed as it is written. The
 * archive goes to a {@code .partial} file of its own in the project's folder of partial files (so two workers never
 * share one), is fsynced, and is published by an atomic rename into the project's folder.
 */
final class ArchiveWriter implements AutoCloseable {

    /** A finished entry: its name, its uncompressed size and the SHA-256 of its bytes. */
    record Entry(String name, long bytes, String sha256) {
    }

    /** One per process: archives published together into one project's folder share its fsync. */
    private static final DirectorySyncs DIRECTORIES = new DirectorySyncs();

    private final Path target;
    private final Path partial;
    private final FileOutputStream file;
    private final ZipOutputStream zip;
    private final ArchiveEncryption encryption;
    private final long modifiedAt;
    private final List<Entry> entries = new ArrayList<>();
    private boolean published;

    private ArchiveWriter(Path target, Path partial, FileOutputStream file, ZipOutputStream zip, ArchiveEncryption encryption,
                          long modifiedAt) {
        this.target = target;
        this.partial = partial;
        this.file = file;
        this.zip = zip;
        this.encryption = encryption;
        this.modifiedAt = modifiedAt;
    }

    /** Opens the partial file of {@code target}; with {@link ArchiveEncryption#NONE} the password is ignored. */
    static ArchiveWriter open(Path target, ArchiveEncryption encryption, char[] password, long modifiedAt) throws IOException {
        if (encryption != ArchiveEncryption.NONE && (password == null || password.length == 0)) {
            throw new IllegalArgumentException("an encrypted archive needs a password");
        }
        Path partial = ArchiveFiles.partial(target);
        PrivateFiles.createFolders(partial.getParent());
        // why: an archive is a copy of a person's data; 0600 before the first byte, kept by the rename.
        PrivateFiles.createFile(partial);
        FileOutputStream file = new FileOutputStream(partial.toFile(), false);
        OutputStream synced = new BufferedOutputStream(file, 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush();
                // why: the rename publishes the archive; its bytes must be on disk before it.
                file.getFD().sync();
                super.close();
            }
        };
        ZipOutputStream zip = encryption == ArchiveEncryption.NONE ? new ZipOutputStream(synced) : new ZipOutputStream(synced, password);
        return new ArchiveWriter(target, partial, file, zip, encryption, modifiedAt);
    }

    /** Starts an entry; the returned stream ends it when closed. */
    OutputStream entry(String name) throws IOException {
        ZipParameters p = new ZipParameters();
        p.setFileNameInZip(name);
        p.setCompressionMethod(CompressionMethod.DEFLATE);
        p.setLastModifiedFileTime(modifiedAt);
        switch (encryption) {
            case NONE -> {
            }
            case AES_256 -> {
                p.setEncryptFiles(true);
                p.setEncryptionMethod(EncryptionMethod.AES);
                p.setAesKeyStrength(AesKeyStrength.KEY_STRENGTH_256);
            }
            case ZIP_CRYPTO -> {
                p.setEncryptFiles(true);
                p.setEncryptionMethod(EncryptionMethod.ZIP_STANDARD);
            }
        }
        zip.putNextEntry(p);
        MessageDigest digest = sha256();
        return new OutputStream() {
            private long bytes;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                digest.update(b, off, len);
                bytes += len;
                zip.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                zip.closeEntry();
                entries.add(new Entry(name, bytes, HexFormat.of().formatHex(digest.digest())));
            }
        };
    }

    /** The entries finished so far, in order. */
    List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Finishes the ZIP, syncs it and renames it to its final name. */
    void publish() throws IOException {
        zip.close();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // why: the rename itself is durable only once the directory entry is synced.
        DIRECTORIES.syncAfterRename(target.getParent());
        published = true;
        // why: a worker killed mid-run leaves its partial file, a copy of personal data nobody else would remove.
        ArchiveFiles.deletePartials(target);
    }

    /** Abandons an unpublished archive: its partial file is removed. */
    @Override
    public void close() throws IOException {
        if (!published) {
            file.close();
            Files.deleteIfExists(partial);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
