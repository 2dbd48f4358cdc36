package dev.lethe.audit;

/** Where a request came from, for the audit log: the channel ({@code api}, {@code console}, {@code download}) and the client's IP. */
public record Origin(String channel, String ip) {

    /** A caller of a service that did not say where the request came from. */
    public static final Origin UNKNOWN = new Origin("api", null);

    public static Origin api(String ip) {
        return new Origin("api", ip);
    }

    public static Origin console(String ip) {
        return new Origin("console", ip);
    }
}
