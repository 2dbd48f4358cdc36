package dev.lethe.crypto;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * The instance's Ed25519 keys that sign erasure certificates, kept as a JWK set in
 * {@code <data-dir>/signing-keys.jwks} (mode 0600) beside {@code lethe.key} and created on first
 * start; instances sharing a PostgreSQL store share the data directory, hence the keys. The first
 * key is the current one and the only one with its private part: a rotation puts a new key first
 * and keeps the earlier ones as public keys only, so certificates they signed still verify and
 * nothing can sign with them again.
 */
public final class SigningKeys {

    public static final String FILE = "signing-keys.jwks";
    /** The JWS algorithm of every key: EdDSA over Ed25519 (RFC 8037), the name current verifiers know. */
    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.EdDSA;

    private final Path file;
    private final Clock clock;
    private volatile Loaded loaded;

    /** The file as last read, with what identifies that version of it on disk. */
    private record Loaded(Object fileKey, FileTime modified, JWKSet keys) {
    }

    private SigningKeys(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /** The keys of this data directory, creating the file with one key if there is none yet. */
    public static SigningKeys loadOrCreate(Path dataDir, Clock clock) {
        SigningKeys keys = new SigningKeys(dataDir.resolve(FILE), clock);
        keys.createIfMissing(dataDir);
        keys.read();
        return keys;
    }

    /** The keys of this data directory as they are; fails if the directory holds none. */
    public static SigningKeys existing(Path dataDir) {
        SigningKeys keys = new SigningKeys(dataDir.resolve(FILE), Clock.systemUTC());
        keys.read();
        return keys;
    }

    /** The key that signs now, private part included. */
    public OctetKeyPair current() {
        return (OctetKeyPair) read().getKeys().get(0);
    }

    /** Every key, current and retired, public parts only: what {@code /.well-known/jwks.json} publishes. */
    public JWKSet publicKeys() {
        return read().toPublicJWKSet();
    }

    /** Makes a new key current; the earlier ones stay as public keys. Returns the new key's id. */
    public String rotate() {
        Path lockFile = file.resolveSibling(FILE + ".lock");
        // why: two rotations at once (two admins, two hosts on one shared directory) must not
        // each write their own list and lose the other's key, whose certificates would stop verifying.
        try (FileChannel channel = LockFile.open(lockFile);
             FileLock ignored = channel.lock()) {
            List<JWK> keys = new ArrayList<>();
            OctetKeyPair fresh = generate();
            keys.add(fresh);
            for (JWK earlier : read().getKeys()) {
                keys.add(earlier.toPublicJWK());
            }
            Path tmp = privateTempFile();
            Files.writeString(tmp, new JWKSet(keys).toString(false));
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            loaded = null;
            return fresh.getKeyID();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the signing keys in " + file, e);
        }
    }

    private void createIfMissing(Path dataDir) {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            Path tmp = privateTempFile();
            Files.writeString(tmp, new JWKSet(generate()).toString(false));
            try {
                Files.move(tmp, file);
            } catch (FileAlreadyExistsException raced) {
                // why: another instance on the same data directory created it first; use theirs.
                Files.delete(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /**
     * The file's keys, read again only when the file was replaced: a rotation by {@code lethe admin
     * keys rotate} reaches a running server at its next certificate or key request.
     */
    private JWKSet read() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            Loaded cached = loaded;
            if (cached != null && Objects.equals(cached.fileKey(), attributes.fileKey())
                    && cached.modified().equals(attributes.lastModifiedTime())) {
                return cached.keys();
            }
            JWKSet keys = JWKSet.parse(Files.readString(file));
            if (keys.getKeys().isEmpty() || !(keys.getKeys().get(0) instanceof OctetKeyPair)) {
                throw new IllegalStateException(file + " holds no Ed25519 signing key");
            }
            loaded = new Loaded(attributes.fileKey(), attributes.lastModifiedTime(), keys);
            return keys;
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no signing keys: " + file + " does not exist (it is created when lethe serve first starts)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (ParseException e) {
            throw new IllegalStateException(file + " is not a JWK set: " + e.getMessage());
        }
    }

    private Path privateTempFile() throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        return tmp;
    }

    private OctetKeyPair generate() {
        try {
            return new OctetKeyPairGenerator(Curve.Ed25519).keyUse(KeyUse.SIGNATURE).algorithm(ALGORITHM)
                    .keyIDFromThumbprint(true).issueTime(Date.from(clock.instant())).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }
}
