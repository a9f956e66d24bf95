package io.pulse.lake;

import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Where a newly assigned partition resumes. The lake is the source of truth, Kafka's committed offset
 * a witness: offsets are committed only after every file of a batch is renamed, so a committed offset
 * beyond the lake's last batch proves that batch complete. Otherwise the last batch may have been cut
 * short between two renames, and it is replayed over exactly its range.
 */
sealed interface ResumePlan {

    /** Resume where the group's committed offset says (or where {@code auto.offset.reset} says, if none). */
    record FromCommittedOffset(OptionalLong committed) implements ResumePlan {
    }

    /** Seek to the interrupted batch's first offset and rebuild it, committing only its missing files. */
    record Replay(BatchFileName interrupted, Set<LakeDirectory> alreadyCommitted) implements ResumePlan {
        public Replay {
            alreadyCommitted = Set.copyOf(alreadyCommitted);
        }
    }

    /** The newest batch of a partition found in the lake, and the directories that hold one of its files. */
    record LastBatch(BatchFileName name, Set<LakeDirectory> directories) {
        public LastBatch {
            directories = Set.copyOf(directories);
        }
    }

    static ResumePlan decide(Optional<LastBatch> lastInLake, OptionalLong committedOffset) {
        if (lastInLake.isEmpty()) {
            return new FromCommittedOffset(committedOffset);
        }
        LastBatch last = lastInLake.get();
        if (committedOffset.isPresent() && committedOffset.getAsLong() > last.name().lastOffset()) {
            return new FromCommittedOffset(committedOffset);
        }
        // No committed offset (a new group, a failover) or one inside/before the batch: the lake wins.
        return new Replay(last.name(), last.directories());
    }
}
