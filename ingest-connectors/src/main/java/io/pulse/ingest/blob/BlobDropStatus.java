package io.pulse.ingest.blob;

import io.pulse.ingest.delivery.SourceId;
import java.time.Instant;
import java.util.Optional;

/**
 * How a blob drop source is doing, for health and metrics.
 *
 * @param state         what it is doing now
 * @param problem       the failure of the last poll, naming the container; empty while polls succeed
 * @param blobsIngested blob versions ingested to their end since start
 * @param events        events delivered since start
 * @param deadLetters   lines dead-lettered since start
 * @param successfulPolls how often the container was listed and its new drops ingested since start
 * @param lastSuccessfulPoll when that last happened, if ever
 */
public record BlobDropStatus(SourceId source, String container, State state, Optional<String> problem,
                             long blobsIngested, long events, long deadLetters, long successfulPolls,
                             Optional<Instant> lastSuccessfulPoll) {

    public enum State {
        /** Created, not started. */
        NEW,
        /** Polling; the last poll succeeded. */
        POLLING,
        /** Paused by an operator; the position is kept. */
        PAUSED,
        /** The last poll failed transiently (storage unreachable, 408/429/5xx, delivery path down); retrying with backoff. */
        RETRYING,
        /** The last poll failed permanently (credentials refused, container missing); polling on slowly until fixed. */
        FAILING,
        CLOSED
    }

    /** Healthy unless failing or retrying. */
    public boolean healthy() {
        return state != State.FAILING && state != State.RETRYING;
    }
}
