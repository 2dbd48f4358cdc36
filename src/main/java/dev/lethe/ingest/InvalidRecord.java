package dev.lethe.ingest;

/** One record that failed validation: which field and why. Cheap: no stack trace. */
public final class InvalidRecord extends RuntimeException {

    private final String field;

    InvalidRecord(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
