package dev.lethe.retrieval;

import java.util.Locale;

/** How a retrieval archive is encrypted. */
public enum ArchiveEncryption {
    /** A plain ZIP. */
    NONE("none"),
    /** WinZip AES-256 (AE-2): strong; opened by 7-Zip, zip4j, libarchive, but not by Python's standard zipfile. */
    AES_256("aes-256"),
    /**
     * Traditional PKWARE encryption ("ZipCrypto"): what Python's standard {@code zipfile} and Java's old readers can
     * open, and what clients of Mixpanel's archives expect; weak against a known-plaintext attack, so it only keeps
     * out a casual reader of a leaked file.
     */
    ZIP_CRYPTO("zipcrypto");

    private final String wireName;

    ArchiveEncryption(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ArchiveEncryption parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (ArchiveEncryption e : values()) {
            if (e.wireName.equals(v)) {
                return e;
            }
        }
        throw new IllegalArgumentException("archive encryption must be none, aes-256 or zipcrypto, not " + value);
    }
}
