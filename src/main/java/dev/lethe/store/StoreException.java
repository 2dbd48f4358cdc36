package dev.lethe.store;

import java.sql.SQLException;

/** The store failed: unreachable, locked, or a statement was refused. Never the client's fault. */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
