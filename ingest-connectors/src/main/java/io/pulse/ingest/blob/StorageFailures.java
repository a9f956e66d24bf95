package io.pulse.ingest.blob;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Sorts storage failures into what the blob drop source does about them. Bounded: an unknown failure is
 * permanent (reported, not retried in a loop). The SDK wraps failures of a streamed read in an
 * {@link IOException}, so the whole cause chain is searched, storage errors first.
 */
final class StorageFailures {
    /** What a failure means for the source. */
    enum Kind {
        /** 408, 429, 500, 502, 503, 504, or no answer at all (I/O, timeout): retry with backoff. */
        TRANSIENT,
        /** The blob was deleted after it was listed: nothing to ingest. */
        BLOB_GONE,
        /** The blob was replaced while it was read (its ETag no longer matches): the new version is a new drop. */
        BLOB_CHANGED,
        /** Wrong credentials, missing container, a request the service refuses: retrying will not help. */
        PERMANENT
    }

    private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429, 500, 502, 503, 504);
    private static final int MAX_DEPTH = 16;

    private StorageFailures() {
    }

    static Kind classify(Throwable failure) {
        Optional<BlobStorageException> storage = storageException(failure);
        if (storage.isPresent()) {
            BlobStorageException e = storage.get();
            int status = e.getStatusCode();
            if (TRANSIENT_STATUS.contains(status)) {
                return Kind.TRANSIENT;
            }
            if (status == 404 && !BlobErrorCode.CONTAINER_NOT_FOUND.equals(e.getErrorCode())) {
                return Kind.BLOB_GONE;
            }
            if (status == 412 || status == 304) {
                return Kind.BLOB_CHANGED;
            }
            return Kind.PERMANENT;
        }
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < MAX_DEPTH; t = t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
                return Kind.TRANSIENT;
            }
        }
        return Kind.PERMANENT;
    }

    static boolean isTransient(Throwable failure) {
        return classify(failure) == Kind.TRANSIENT;
    }

    /** The failure in a few words for a log line: status and error code, or the innermost exception; never a secret or a URL's query. */
    static String describe(Throwable failure) {
        Optional<BlobStorageException> storage = storageException(failure);
        if (storage.isPresent()) {
            BlobStorageException e = storage.get();
            return e.getStatusCode() + " " + (e.getErrorCode() == null ? "(no error code)" : e.getErrorCode().toString());
        }
        Throwable root = failure;
        int depth = 0;
        while (root.getCause() != null && root.getCause() != root && depth++ < MAX_DEPTH) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + stripQuery(root.getMessage());
        return root.getClass().getSimpleName() + message;
    }

    static Optional<BlobStorageException> storageException(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth++ < MAX_DEPTH; t = t.getCause()) {
            if (t instanceof BlobStorageException e) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** A URL's query may hold a SAS signature: cut it from anything logged. */
    private static String stripQuery(String message) {
        return message.replaceAll("\\?[^\\s\"']*", "?…");
    }
}
