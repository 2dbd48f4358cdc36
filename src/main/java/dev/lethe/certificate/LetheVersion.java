package dev.lethe.certificate;

/** The version of the running Lethe, as the product jar's manifest states it. */
final class LetheVersion {

    /** What a build outside the product jar (the tests, an IDE) reports. */
    static final String DEVELOPMENT = "development";

    private LetheVersion() {
    }

    static String current() {
        String v = LetheVersion.class.getPackage().getImplementationVersion();
        return v == null || v.isBlank() ? DEVELOPMENT : v;
    }
}
