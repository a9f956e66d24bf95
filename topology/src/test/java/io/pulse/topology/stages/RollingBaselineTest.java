package io.pulse.topology.stages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.topology.stages.RollingBaseline.Deviation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RollingBaselineTest {
    /** The textbook sample: mean 5, population standard deviation exactly 2. */
    private static final List<Double> TEXTBOOK = List.of(2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0);

    @Test
    void meanAndPopulationStandardDeviationOfItsValues() {
        RollingBaseline b = RollingBaseline.of(8, TEXTBOOK);

        assertThat(b.mean()).isEqualTo(5.0);
        assertThat(b.stddev()).isEqualTo(2.0);
    }

    @Test
    void keepsExactlyTheLastCapacityValuesOldestFirst() {
        RollingBaseline b = RollingBaseline.empty(5);
        for (int i = 1; i <= 12; i++) {
            b.add(i);
        }

        assertThat(b.values()).containsExactly(8.0, 9.0, 10.0, 11.0, 12.0);
        assertThat(b.size()).isEqualTo(5);
        assertThat(b.mean()).isEqualTo(10.0);
        assertThat(b.stddev()).isCloseTo(Math.sqrt(2), within(1e-12)); // (4 + 1 + 0 + 1 + 4) / 5
    }

    @Test
    void aLongerHistoryKeepsOnlyItsNewestValues() {
        RollingBaseline b = RollingBaseline.of(3, TEXTBOOK);

        assertThat(b.values()).containsExactly(5.0, 7.0, 9.0);
        assertThat(b.isFull()).isTrue();
    }

    @Test
    void scoresAValueInStandardDeviationsFromTheMean() {
        RollingBaseline b = RollingBaseline.of(8, TEXTBOOK);

        Deviation spike = b.deviation(11.0).orElseThrow();
        Deviation dip = b.deviation(-1.0).orElseThrow();

        assertThat(spike).isEqualTo(new Deviation(11.0, 5.0, 2.0, 3.0, 8));
        assertThat(spike.isSpike()).isTrue();
        assertThat(dip.score()).isEqualTo(-3.0);
        assertThat(dip.isSpike()).isFalse();
    }

    @Test
    void aDeviationReachesTheThresholdInEitherDirectionFromExactlyTheThreshold() {
        RollingBaseline b = RollingBaseline.of(8, TEXTBOOK);

        assertThat(b.deviation(11.0).orElseThrow().reaches(3.0)).isTrue();
        assertThat(b.deviation(-1.0).orElseThrow().reaches(3.0)).isTrue();
        assertThat(b.deviation(10.9).orElseThrow().reaches(3.0)).isFalse();
        assertThat(b.deviation(-0.9).orElseThrow().reaches(3.0)).isFalse();
    }

    @Test
    void scoresNothingUntilTheBaselineHoldsExactlyItsWindowCount() {
        RollingBaseline b = RollingBaseline.of(8, TEXTBOOK.subList(0, 7));

        assertThat(b.isFull()).isFalse();
        assertThat(b.deviation(1000.0)).isEmpty();

        b.add(9.0);

        assertThat(b.deviation(1000.0)).isPresent();
    }

    @Test
    void aFlatBaselineHasNoScaleToScoreAgainst() {
        RollingBaseline b = RollingBaseline.of(4, List.of(0.0, 0.0, 0.0, 0.0));

        assertThat(b.stddev()).isZero();
        assertThat(b.deviation(50.0)).isEmpty();
    }

    @Test
    void addingDoesNotChangeTheScoreOfTheValueBeforeIt() {
        RollingBaseline b = RollingBaseline.of(8, TEXTBOOK);
        Deviation before = b.deviation(11.0).orElseThrow();

        b.add(11.0);

        assertThat(before.score()).isEqualTo(3.0);
        assertThat(b.values()).containsExactly(4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0, 11.0);
        assertThat(b.mean()).isEqualTo(6.125);
    }

    @Test
    void refusesABaselineOfNoWindows() {
        assertThatThrownBy(() -> RollingBaseline.empty(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
