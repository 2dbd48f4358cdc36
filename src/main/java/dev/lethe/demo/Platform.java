package dev.lethe.demo;

/**
 * Where a demo person's events come from, with the library fields the real SDK sends, so a
 * CCPA "Sources" disclosure has something true-looking to report.
 */
public enum Platform {
    WEB_CHROME("web", "2.55.1", "Mac OS X", "Chrome", "track"),
    WEB_FIREFOX("web", "2.55.1", "Windows", "Firefox", "track"),
    WEB_SAFARI("web", "2.55.1", "Mac OS X", "Safari", "track"),
    IOS("swift", "4.3.0", "iOS", null, "track"),
    ANDROID("android", "7.5.2", "Android", null, "track"),
    PYTHON("python", "4.10.1", null, null, "import");

    final String lib;
    final String libVersion;
    final String os;
    final String browser;
    /** The ingestion endpoint such a client uses. */
    final String source;

    Platform(String lib, String libVersion, String os, String browser, String source) {
        this.lib = lib;
        this.libVersion = libVersion;
        this.os = os;
        this.browser = browser;
        this.source = source;
    }

    boolean isWeb() {
        return browser != null;
    }
}
