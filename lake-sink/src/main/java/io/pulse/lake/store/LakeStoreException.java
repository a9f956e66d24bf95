package io.pulse.lake.store;

/** A lake store operation failed; the message names the operation and the path. */
public class LakeStoreException extends RuntimeException {
    public LakeStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public LakeStoreException(String message) {
        super(message);
    }
}
