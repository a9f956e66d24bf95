package io.pulse.topology.spine;

import static io.pulse.topology.spine.SpineProbe.counters;
import static io.pulse.topology.spine.SpineProbe.passedIds;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Envelope;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeduplicateStageTest {
    private static final TopologySettings SETTINGS = TopologySettings.withGrace(Duration.ofSeconds(30))
            .withDedupHorizon(Duration.ofMinutes(10));
    private final StageTestKit kit = SpineProbe.kit(SETTINGS);

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void passesTheFirstCopyOfEachEventAndCountsTheRepeatsPerTenant() {
        Envelope order = purchase("contoso", "10:00:00", "19.99", "EUR").build();
        Envelope view = pageView("contoso", "10:00:05").build();
        Envelope other = pageView("fabrikam", "10:00:06").build();

        kit.send(order, order, view, order, other, other);

        assertThat(passedIds(kit)).containsExactly(order.getEventId(), view.getEventId(), other.getEventId());
        assertThat(counters(kit, "contoso")).containsExactly(0L, 2L, 0L);
        assertThat(counters(kit, "fabrikam")).containsExactly(0L, 1L, 0L);
        assertThat(kit.<Long>windows(DeduplicateStage.SEEN_STORE, "contoso/" + order.getEventId()))
                .containsExactly(KeyValue.pair(at("10:00:00"), at("10:00:00").toEpochMilli()));
    }

    @Test
    void treatsAnIdInUpperCaseAsTheSameEvent() {
        Envelope e = pageView("contoso", "10:00:00").build();
        Envelope shouted = Envelope.newBuilder(e).setEventId(e.getEventId().toUpperCase(Locale.ROOT)).build();

        kit.send(e, shouted);

        assertThat(passedIds(kit)).containsExactly(e.getEventId());
        assertThat(counters(kit, "contoso")).containsExactly(0L, 1L, 0L);
    }

    @Test
    void neverLetsOneTenantsIdsSuppressAnothersEvents() {
        Envelope contosos = pageView("contoso", "10:00:00").build();
        Envelope fabrikams = pageView("fabrikam", "10:00:01").setEventId(contosos.getEventId()).build();

        kit.send(contosos, fabrikams);

        assertThat(passedIds(kit)).containsExactly(contosos.getEventId(), fabrikams.getEventId());
        assertThat(counters(kit, "fabrikam")).containsExactly(0L, 0L, 0L);
    }

    @Test
    void countsARepeatOlderThanTheGraceAsADuplicateNotAsLate() {
        Envelope early = pageView("contoso", "10:00:00").build();

        kit.send(early, pageView("contoso", "10:05:00").build(), early); // the retry is 5 minutes behind, grace is 30 s

        assertThat(passedIds(kit)).hasSize(2).startsWith(early.getEventId());
        assertThat(counters(kit, "contoso")).containsExactly(0L, 1L, 0L);
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).isEmpty()).isTrue();
    }

    @Test
    void sendsARepeatFromBeyondTheHorizonToLateEventsSoItNeverCountsTwice() {
        Envelope early = pageView("contoso", "10:00:00").build();

        kit.send(early, pageView("contoso", "10:20:00").build(), early); // the store forgot the id: the gate catches it

        assertThat(passedIds(kit)).hasSize(2);
        assertThat(kit.output(TopicCatalogue.LATE_EVENTS).readValuesToList()).containsExactly(early);
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 1L);
    }

    @Test
    void forgetsAnIdOnceItIsOlderThanTheHorizon() {
        Envelope first = pageView("contoso", "10:00:00").build();
        Envelope reused = pageView("contoso", "10:20:05").setEventId(first.getEventId()).build(); // a source recycling ids

        kit.send(first, pageView("contoso", "10:20:00").build(), reused);

        assertThat(passedIds(kit)).hasSize(3).endsWith(first.getEventId());
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 0L);
    }

    @Test
    void refusesAHorizonShorterThanTheWindowGrace() {
        TopologySettings tooShort = TopologySettings.withGrace(Duration.ofMinutes(2)).withDedupHorizon(Duration.ofMinutes(1));

        assertThatThrownBy(() -> SpineProbe.kit(tooShort))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("horizon").hasMessageContaining("PT2M").hasMessageContaining("PT1M");
    }
}
