package io.pulse.ingest.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.ingest.generator.GeneratedEvent.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficMixTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static List<GeneratedEvent> run(long seed, TrafficMix.Rates rates, int n) {
        TrafficMix mix = new TrafficMix(new RetailTrafficGenerator(List.of("contoso", "fabrikam"), seed), rates, Duration.ofMinutes(30), seed);
        List<GeneratedEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(mix.next(T0.plusMillis(i * 100L)));
        }
        return out;
    }

    @Test
    void producesEachFaultAtRoughlyItsRate() {
        List<GeneratedEvent> events = run(7, new TrafficMix.Rates(0.05, 0.02, 0.03), 20_000);
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        events.forEach(e -> counts.merge(e.kind(), 1, Integer::sum));

        assertThat(counts.get(Kind.DUPLICATE)).isBetween(800, 1200);
        assertThat(counts.get(Kind.LATE)).isBetween(300, 500);
        assertThat(counts.get(Kind.MALFORMED)).isBetween(450, 750);
    }

    @Test
    void duplicatesRepeatTheIdOfAnEarlierNormalEventAndNothingElseRepeatsIds() {
        List<GeneratedEvent> events = run(11, new TrafficMix.Rates(0.1, 0.05, 0.05), 5_000);
        Set<String> normalIds = new HashSet<>();
        Set<String> allNonDuplicateIds = new HashSet<>();
        for (GeneratedEvent e : events) {
            String id = e.event().getEventId();
            if (e.kind() == Kind.DUPLICATE) {
                assertThat(normalIds).contains(id);
            } else {
                assertThat(allNonDuplicateIds.add(id)).as("id %s is unique", id).isTrue();
                if (e.kind() == Kind.NORMAL) {
                    normalIds.add(id);
                }
            }
        }
    }

    @Test
    void lateEventsAreStampedLateByTheConfiguredAmount() {
        List<GeneratedEvent> events = run(3, new TrafficMix.Rates(0, 0.5, 0), 200);
        for (int i = 0; i < events.size(); i++) {
            Instant expected = T0.plusMillis(i * 100L);
            GeneratedEvent e = events.get(i);
            assertThat(e.event().getEventTime()).isEqualTo(e.kind() == Kind.LATE ? expected.minus(Duration.ofMinutes(30)) : expected);
        }
    }

    @Test
    void sameSeedSameTraffic() {
        assertThat(run(42, new TrafficMix.Rates(0.05, 0.05, 0.05), 1000))
                .isEqualTo(run(42, new TrafficMix.Rates(0.05, 0.05, 0.05), 1000));
    }

    @Test
    void refusesImpossibleRates() {
        assertThatThrownBy(() -> new TrafficMix.Rates(0.6, 0.5, 0)).hasMessageContaining("more than 1");
        assertThatThrownBy(() -> new TrafficMix.Rates(-0.1, 0, 0)).hasMessageContaining("between 0 and 1");
    }
}
