package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.money;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.RfmSegment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RfmScoringTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");

    @ParameterizedTest(name = "{0} since the last activity scores {1}")
    @CsvSource({
        "PT0S, 5", "P7D, 5", "P7DT1S, 4", "P30D, 4", "P30DT1S, 3", "P90D, 3", "P90DT1S, 2", "P180D, 2", "P180DT1S, 1", "P900D, 1"})
    void scoresRecencyByTimeSinceTheLastActivity(String since, int score) {
        assertThat(RfmScoring.recency(NOW.minus(Duration.parse(since)), NOW)).isEqualTo(score);
    }

    @ParameterizedTest(name = "{0} orders score {1}")
    @CsvSource({"0, 1", "1, 1", "2, 2", "3, 3", "4, 3", "5, 4", "9, 4", "10, 5", "250, 5"})
    void scoresFrequencyByOrders(long orders, int score) {
        assertThat(RfmScoring.frequency(orders)).isEqualTo(score);
    }

    @ParameterizedTest(name = "{0} {1} scores {2}")
    @CsvSource({
        "0.00, EUR, 1", "49.99, EUR, 1", "50.00, EUR, 2", "199.99, EUR, 2", "200.00, EUR, 3", "500.00, EUR, 4",
        "999.9999, EUR, 4", "1000.00, EUR, 5",
        // Scored in minor units: yen have none, so 5,000 JPY is the threshold that 50.00 EUR is.
        "4999, JPY, 1", "5000, JPY, 2", "100000, JPY, 5",
        // Bahraini dinar: three digits.
        "5.000, BHD, 2", "4.999, BHD, 1"})
    void scoresMonetaryValueInTheCurrencysMinorUnits(String amount, String currency, int score) {
        assertThat(RfmScoring.monetary(List.of(money(amount, currency)))).isEqualTo(score);
    }

    @Test
    void scoresMonetaryValueByTheBestCurrencyWithoutAddingCurrencies() {
        // 600 EUR + 600 USD would be 1,200 in one currency (score 5); each alone scores 4.
        assertThat(RfmScoring.monetary(List.of(money("600.00", "EUR"), money("600.00", "USD")))).isEqualTo(4);
        assertThat(RfmScoring.monetary(List.of(money("10.00", "EUR"), money("1000.00", "USD")))).isEqualTo(5);
        assertThat(RfmScoring.monetary(List.of())).isEqualTo(1);
    }

    @ParameterizedTest(name = "R{0} F{1} M{2} is {3}")
    @CsvSource({
        "5, 5, 5, CHAMPIONS", "4, 4, 4, CHAMPIONS",
        "5, 5, 3, LOYAL", "3, 3, 1, LOYAL", "4, 3, 5, LOYAL", "3, 5, 5, LOYAL",
        "2, 3, 1, AT_RISK", "1, 5, 5, AT_RISK",
        "2, 2, 5, HIBERNATING", "1, 1, 1, HIBERNATING",
        "5, 1, 1, NEW", "4, 1, 5, NEW",
        "5, 2, 1, POTENTIAL_LOYALIST", "4, 2, 4, POTENTIAL_LOYALIST",
        "3, 2, 5, NEEDS_ATTENTION", "3, 1, 1, NEEDS_ATTENTION"})
    void namesTheSegmentOfTheScores(int r, int f, int m, RfmSegment segment) {
        assertThat(RfmScoring.segment(r, f, m)).isEqualTo(segment);
    }

    @Test
    void scoresAllThreeDimensionsTogether() {
        RfmScoring.Rfm rfm = RfmScoring.score(NOW.minus(Duration.ofDays(3)), NOW, 12, List.of(money("1500.00", "EUR")));

        assertThat(rfm).isEqualTo(new RfmScoring.Rfm(5, 5, 5, RfmSegment.CHAMPIONS));
    }
}
