package dev.lethe.query.where;

/** An expression Lethe cannot parse or does not support; the message says which part and why. */
public final class WhereException extends RuntimeException {

    WhereException(String message) {
        super(message, null, false, false);
    }
}
