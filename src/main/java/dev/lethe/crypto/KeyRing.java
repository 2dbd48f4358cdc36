package dev.lethe.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The key-encryption keys (KEKs) that wrap the keystore's bucket keys, numbered, in {@code <data-dir>/keystore.keyring}
 * (mode 0600) beside {@code lethe.key}. KEK {@value #DERIVED} is derived from the instance key
 * ({@link InstanceKey#wrappingKey}) and needs no file: a data directory without one has that KEK alone, as every
 * keystore had before rotation existed. The others are random 256-bit keys numbered 1, 2, ... in the order a rotation
 * {@link #add}s them; once the keystore no longer uses the older ones, {@link #retireAllBut} removes them from the
 * file. KEK 0 cannot be removed from lethe.key, so the file records it as retired instead: from then on it neither
 * wraps nor unwraps.
 * <p>
 * The file is only read when a KEK is asked for that is not loaded ({@link #kek}): a rotation by another process
 * (the CLI beside a running server) reaches this one at its first use of the new KEK.
 */
public final class KeyRing {

    public static final String FILE = "keystore.keyring";
    /** The KEK derived from lethe.key. */
    public static final int DERIVED = 0;
    private static final String HEADER = "lethe-keyring 1";
    private static final String RETIRED_DERIVED = "retired " + DERIVED;
    private static final String KEK = "kek ";

    private final Path file;
    private final DataKey derived;
    private volatile Ring loaded;

    /** The file as last read: whether KEK 0 is retired, and the random KEKs by id. */
    private record Ring(boolean derivedRetired, TreeMap<Integer, byte[]> keks) {

        int newest() {
            return keks.isEmpty() ? DERIVED : keks.lastKey();
        }

        String text() {
            StringBuilder out = new StringBuilder(HEADER).append('\n');
            if (derivedRetired) {
                out.append(RETIRED_DERIVED).append('\n');
            }
            keks.forEach((id, raw) -> out.append(KEK).append(id).append(' ').append(Base64.getEncoder().encodeToString(raw)).append('\n'));
            return out.toString();
        }
    }

    private KeyRing(Path file, DataKey derived) {
        this.file = file;
        this.derived = derived;
    }

    /** The keyring of this data directory: its file if there is one, else KEK 0 alone. Creates nothing. */
    public static KeyRing of(Path dataDir, InstanceKey instanceKey) {
        KeyRing ring = new KeyRing(dataDir.resolve(FILE), instanceKey.wrappingKey());
        ring.loaded = ring.read();
        return ring;
    }

    /** The KEK with this id, reading the file again if it is not loaded; null when the keyring does not hold it (any more). */
    public DataKey kek(int id) {
        DataKey key = loadedKek(loaded, id);
        if (key != null || id == DERIVED) {
            return key;
        }
        loaded = read();
        return loadedKek(loaded, id);
    }

    private DataKey loadedKek(Ring ring, int id) {
        if (id == DERIVED) {
            return ring.derivedRetired() ? null : derived;
        }
        byte[] raw = ring.keks().get(id);
        return raw == null ? null : DataKey.of(raw);
    }

    /** The highest KEK id the file holds (0 when it holds none), read from the file now. */
    public int newest() {
        loaded = read();
        return loaded.newest();
    }

    /** The ids of the KEKs that can wrap and unwrap, read from the file now. */
    public List<Integer> ids() {
        loaded = read();
        List<Integer> ids = new ArrayList<>();
        if (!loaded.derivedRetired()) {
            ids.add(DERIVED);
        }
        ids.addAll(loaded.keks().keySet());
        return ids;
    }

    /** Adds a new random KEK, numbered after every one the file holds, and returns its id. */
    public int add() {
        return underLock(ring -> {
            TreeMap<Integer, byte[]> keks = new TreeMap<>(ring.keks());
            int id = ring.newest() + 1;
            keks.put(id, Secrets.randomBytes(DataKey.KEY_BYTES));
            write(new Ring(ring.derivedRetired(), keks));
            return id;
        });
    }

    /**
     * Removes every KEK but {@code keep} from the file (KEK 0 by marking it retired) and returns the ids removed.
     * Call only once nothing is wrapped by them: what they wrapped no longer opens.
     */
    public List<Integer> retireAllBut(int keep) {
        return underLock(ring -> {
            if (keep != DERIVED && !ring.keks().containsKey(keep)) {
                throw new IllegalStateException(file + " does not hold KEK " + keep + ", the one to keep");
            }
            List<Integer> removed = new ArrayList<>();
            boolean derivedRetired = ring.derivedRetired();
            if (keep != DERIVED && !derivedRetired) {
                removed.add(DERIVED);
                derivedRetired = true;
            }
            TreeMap<Integer, byte[]> keks = new TreeMap<>();
            for (Map.Entry<Integer, byte[]> e : ring.keks().entrySet()) {
                if (e.getKey() == keep) {
                    keks.put(e.getKey(), e.getValue());
                } else {
                    removed.add(e.getKey());
                }
            }
            if (!removed.isEmpty()) {
                write(new Ring(derivedRetired, keks));
            }
            return removed;
        });
    }

    /** A change of the file as it is now. */
    @FunctionalInterface
    private interface Change<T> {
        T apply(Ring ring) throws IOException;
    }

    private <T> T underLock(Change<T> change) {
        Path lockFile = file.resolveSibling(FILE + ".lock");
        // why: two rotations at once (two admins, two hosts on one shared directory) must not each write
        // their own list and lose the other's KEK, whose wrapped keys would stop opening.
        try (FileChannel channel = LockFile.open(lockFile);
             FileLock ignored = channel.lock()) {
            T result = change.apply(read());
            loaded = read();
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change the keyring " + file, e);
        }
    }

    /** Replaces the file with this ring: a synced temporary file moved over it, then the directory synced. */
    private void write(Ring ring) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.write(ByteBuffer.wrap(ring.text().getBytes(StandardCharsets.UTF_8)));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        // why: a KEK whose file entry a crash lost would leave the rows it wrapped unopenable
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    private Ring read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Ring(false, new TreeMap<>());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keyring " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new IllegalStateException(file + " is not a Lethe keyring (first line is not \"" + HEADER + "\")");
        }
        boolean derivedRetired = false;
        TreeMap<Integer, byte[]> keks = new TreeMap<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            if (line.equals(RETIRED_DERIVED)) {
                derivedRetired = true;
            } else if (line.startsWith(KEK)) {
                String[] parts = line.substring(KEK.length()).split(" ");
                try {
                    int id = Integer.parseInt(parts[0]);
                    byte[] raw = Base64.getDecoder().decode(parts[parts.length - 1]);
                    if (parts.length != 2 || id <= DERIVED || raw.length != DataKey.KEY_BYTES) {
                        throw new IllegalArgumentException("not an id and a 256-bit key");
                    }
                    keks.put(id, raw);
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(file + " holds a malformed KEK line: " + e.getMessage());
                }
            } else {
                throw new IllegalStateException(file + " holds a line that is not a KEK");
            }
        }
        return new Ring(derivedRetired, keks);
    }
}
