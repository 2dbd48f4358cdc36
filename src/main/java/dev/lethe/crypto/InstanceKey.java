package dev.lethe.crypto;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The instance's 256-bit key, kept in {@code <data-dir>/lethe.key} (mode 0600) and created on
 * first start. Instances sharing a PostgreSQL store share the data directory, hence the key.
 * It signs download links, keys the hashes of suppressed ids and of the index keys that stand in
 * for personal values ({@link #keyedHash}), and seals the project {@code api_secret}s so the store
 * never holds them in plain text.
 */
public final class InstanceKey {

    private final byte[] key;
    /** why: ingestion hashes two index keys per event; getting and keying a Mac each time cost more than the hash. */
    private final ThreadLocal<Mac> keyedMacs;

    private InstanceKey(byte[] key) {
        this.key = key;
        this.keyedMacs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static InstanceKey loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve("lethe.key");
        try {
            if (!Files.exists(file)) {
                if (!Files.isDirectory(dataDir)) {
                    Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                Path tmp = Files.createTempFile(dataDir, "lethe.key", ".tmp");
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                Files.writeString(tmp, Base64.getEncoder().encodeToString(Secrets.randomBytes(32)));
                try {
                    Files.move(tmp, file);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // why: another instance on the same data directory created it first; use theirs.
                    Files.delete(tmp);
                }
            }
            return new InstanceKey(Base64.getDecoder().decode(Files.readString(file).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    /** HMAC-SHA256 of the message, hex encoded. */
    public String sign(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A stable public name of the instance (of every instance on this data directory), derived from the
     * key so that it needs no file of its own and tells nothing about the key.
     */
    public String instanceId() {
        return "lethe-" + sign("instance-id").substring(0, 20);
    }

    /** Bytes of {@link #keyedHash}: 128 bits, so collisions stay out of reach for any store's number of values. */
    public static final int KEYED_HASH_BYTES = 16;

    /**
     * The first {@value #KEYED_HASH_BYTES} bytes of HMAC-SHA256 over the domain and the parts. Each is
     * written as its UTF-8 length then its bytes, so no two different lists of parts (one holding a
     * separator another splits on) give the same message. Without the key, a list of candidate values
     * (e-mails) cannot be hashed and matched against a copy of the store.
     */
    public byte[] keyedHash(String domain, String... parts) {
        Mac mac = keyedMacs.get();
        update(mac, domain);
        for (String part : parts) {
            update(mac, part);
        }
        // why: doFinal also resets the Mac for this thread's next hash
        return Arrays.copyOf(mac.doFinal(), KEYED_HASH_BYTES);
    }

    private static void update(Mac mac, String part) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        mac.update(bytes);
    }

    /**
     * The key that wraps the data keys in the keystore ({@link DataKey#wrap}): derived from this key for that
     * one use, so a wrapped data key opens only with the instance key of its store.
     */
    public DataKey wrappingKey() {
        Mac mac = keyedMacs.get();
        update(mac, "keystore-wrapping-key");
        return DataKey.of(mac.doFinal());
    }

    public boolean verify(String message, String signature) {
        return Secrets.constantTimeEquals(sign(message), signature);
    }

    /** Encrypts a short secret with AES-GCM; the result is base64 of nonce and ciphertext. */
    public String seal(String plain) {
        try {
            byte[] nonce = Secrets.randomBytes(12);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String unseal(String sealedBase64) {
        try {
            byte[] all = Base64.getDecoder().decode(sealedBase64);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, all, 0, 12));
            return new String(cipher.doFinal(all, 12, all.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealed secret does not open with this instance key", e);
        }
    }
}
