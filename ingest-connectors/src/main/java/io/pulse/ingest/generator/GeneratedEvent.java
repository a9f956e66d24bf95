package io.pulse.ingest.generator;

import io.pulse.avro.Envelope;

/**
 * One event of a traffic mix and what the mix made of it, so tests and benchmarks can compute what
 * the pipeline must produce from the input alone.
 */
public record GeneratedEvent(Envelope event, Kind kind) {

    public enum Kind {
        /** A fresh, valid event with an event time close to now. */
        NORMAL,
        /** A second copy of an earlier NORMAL event (same event id): must be counted once. */
        DUPLICATE,
        /** A valid event far older than the window grace: must land on the late-events topic. */
        LATE,
        /** An envelope that breaks a validation rule: must land on the rejects topic. */
        MALFORMED
    }
}
