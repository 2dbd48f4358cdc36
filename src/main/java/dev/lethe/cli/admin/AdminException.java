package dev.lethe.cli.admin;

/** An admin command cannot do what was asked; the message is shown to the operator as is. */
public final class AdminException extends RuntimeException {
    public AdminException(String message) {
        super(message);
    }
}
