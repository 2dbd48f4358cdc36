package dev.lethe.crypto;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One person's data key (AES-256): what their stored content is sealed with (AES-GCM, 96-bit random nonce,
 * 128-bit tag). Destroying the key in the keystore erases every copy of that content at once, wherever
 * a copy sits (free pages, WAL, a backup). The associated data binds a sealed value to where it is stored
 * (its project, person and kind), so a value copied to another row does not open there.
 */
public final class DataKey {

    public static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** why: getting a Cipher per value cost more than sealing a typical event. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(DataKey::newCipher);
    /**
     * The cipher {@link #rewrap} opens with, beside {@link #CIPHERS} sealing: moving a bucket's keys from one wrapping
     * key to another, each keeps its key (and its AES key schedule) from key to key.
     */
    private static final ThreadLocal<Cipher> REWRAP_OPENERS = ThreadLocal.withInitial(DataKey::newCipher);

    private final SecretKeySpec key;

    private DataKey(byte[] raw) {
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException("a data key has " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DataKey generate() {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        return new DataKey(raw);
    }

    /** A key from its raw bytes, as {@link #unwrap} or the wrapping key of the keystore makes it. */
    public static DataKey of(byte[] raw) {
        return new DataKey(raw);
    }

    /** The nonce, then the ciphertext and its tag. */
    public byte[] seal(byte[] associated, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = CIPHERS.get();
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associated);
            byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plain.length)];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            cipher.doFinal(plain, 0, plain.length, out, NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plain bytes, or null when the value was not sealed with this key for this associated data. */
    public byte[] open(byte[] associated, byte[] sealed) {
        return open(CIPHERS.get(), associated, sealed);
    }

    /**
     * Opens values sealed with this key with a cipher of its own, so the AES key schedule is made once, not once a
     * value: the shared per-thread cipher redoes it whenever the key changes, as it does from row to row of a page
     * that mixes people. For one thread; a unit of work keeps one for each key it opens often.
     */
    public Opener opener() {
        return new Opener(newCipher());
    }

    /** See {@link #opener}. */
    public final class Opener {
        private final Cipher cipher;

        private Opener(Cipher cipher) {
            this.cipher = cipher;
        }

        /** As {@link DataKey#open}. */
        public byte[] open(byte[] associated, byte[] sealed) {
            return DataKey.this.open(cipher, associated, sealed);
        }
    }

    private byte[] open(Cipher cipher, byte[] associated, byte[] sealed) {
        if (sealed == null || sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            return null;
        }
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associated);
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This key sealed with {@code wrapping} for the given associated data (the keystore's row). */
    public byte[] wrap(DataKey wrapping, byte[] associated) {
        return wrapping.seal(associated, key.getEncoded());
    }

    /** The key {@link #wrap} sealed, or null when it does not open with {@code wrapping}. */
    public static DataKey unwrap(DataKey wrapping, byte[] associated, byte[] wrapped) {
        byte[] raw = wrapping.open(associated, wrapped);
        if (raw == null) {
            return null;
        }
        try {
            return new DataKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * A key {@link #wrap} sealed under {@code from}, sealed again under {@code to} for the same associated data, without
     * making a key of it in between; null when it does not open. Opening and sealing use a cipher each, so neither
     * redoes its key schedule from key to key when many keys move from one wrapping key to another.
     */
    public static byte[] rewrap(DataKey from, DataKey to, byte[] associated, byte[] wrapped) {
        byte[] raw = from.open(REWRAP_OPENERS.get(), associated, wrapped);
        if (raw == null) {
            return null;
        }
        try {
            return to.seal(associated, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Associated data made of a label and numbers and byte strings, each length-prefixed. */
    public static byte[] associated(String label, long number, byte[] bytes) {
        return associated(label.getBytes(java.nio.charset.StandardCharsets.UTF_8), number, bytes);
    }

    /** As {@link #associated(String, long, byte[])}, with the label already in UTF-8 (a value's kind, on every row). */
    public static byte[] associated(byte[] label, long number, byte[] bytes) {
        return ByteBuffer.allocate(4 + label.length + 8 + 4 + bytes.length)
                .putInt(label.length).put(label).putLong(number).putInt(bytes.length).put(bytes).array();
    }
}
