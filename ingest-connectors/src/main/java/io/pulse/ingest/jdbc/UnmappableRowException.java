package io.pulse.ingest.jdbc;

/** A row that cannot become a valid envelope; permanent for this row, which goes to the dead-letter topic. */
public final class UnmappableRowException extends Exception {
    public UnmappableRowException(String message) {
        super(message);
    }
}
