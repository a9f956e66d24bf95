package io.pulse.lake;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.lake.layout.BatchFileName;
import io.pulse.lake.store.LakeDirectory;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResumePlanTest {
    private static final BatchFileName LAST = new BatchFileName("pulse.events.v1", 1, 100, 199);
    private static final Set<LakeDirectory> DIRS = Set.of(new LakeDirectory("events", List.of("tenant=contoso")));

    @Test
    void emptyLakeResumesFromTheCommittedOffset() {
        assertThat(ResumePlan.decide(Optional.empty(), OptionalLong.of(42)))
                .isEqualTo(new ResumePlan.FromCommittedOffset(OptionalLong.of(42)));
        assertThat(ResumePlan.decide(Optional.empty(), OptionalLong.empty()))
                .isEqualTo(new ResumePlan.FromCommittedOffset(OptionalLong.empty()));
    }

    @Test
    void offsetCommittedPastTheLastBatchProvesItComplete() {
        assertThat(ResumePlan.decide(Optional.of(new ResumePlan.LastBatch(LAST, DIRS)), OptionalLong.of(200)))
                .isEqualTo(new ResumePlan.FromCommittedOffset(OptionalLong.of(200)));
    }

    @Test
    void offsetStillAtTheLastBatchsStartMeansItMayBeHalfRenamed() {
        assertThat(ResumePlan.decide(Optional.of(new ResumePlan.LastBatch(LAST, DIRS)), OptionalLong.of(100)))
                .isEqualTo(new ResumePlan.Replay(LAST, DIRS));
    }

    @Test
    void noCommittedOffsetAtAllTrustsTheLake() {
        assertThat(ResumePlan.decide(Optional.of(new ResumePlan.LastBatch(LAST, DIRS)), OptionalLong.empty()))
                .isEqualTo(new ResumePlan.Replay(LAST, DIRS));
    }
}
