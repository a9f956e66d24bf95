package io.pulse.lake.store;

/** What {@link LakeStore#commitIfAbsent} did. */
public enum CommitOutcome {
    /** The temporary file now has its final name. */
    COMMITTED,
    /**
     * A file with the final name was there already: an earlier run committed the same content (names are
     * deterministic), so the temporary file was deleted and nothing else changed.
     */
    ALREADY_COMMITTED
}
