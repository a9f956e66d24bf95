package io.pulse.topology.spine;

import io.pulse.common.envelope.EnvelopeRules;
import static io.pulse.topology.spine.SpineProbe.counters;
import static io.pulse.topology.spine.SpineProbe.passedIds;
import static io.pulse.common.testing.Envelopes.addToCart;
import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.avro.Envelope;
import io.pulse.common.kafka.DeadLetterHeaders;
import io.pulse.common.kafka.RejectHeaders;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ValidateStageTest {
    private final StageTestKit kit = SpineProbe.kit(TopologySettings.withGrace(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void passesValidEventsAndSendsRejectsUnchangedWithTheBrokenRuleInHeaders() {
        Envelope valid = pageView("contoso", "10:00:00").build();
        Envelope badCurrency = addToCart("contoso", "10:00:05", "sku-1", "9.99", "euro").build();
        Envelope valid2 = purchase("contoso", "10:00:10", "19.99", "EUR").build();

        kit.send(valid, badCurrency, valid2);

        assertThat(passedIds(kit)).containsExactly(valid.getEventId(), valid2.getEventId());
        List<TestRecord<String, Envelope>> rejects = kit.output(TopicCatalogue.REJECTS).readRecordsToList();
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("contoso");
            assertThat(r.value()).isEqualTo(badCurrency);
            assertThat(r.getRecordTime()).isEqualTo(at("10:00:05"));
            assertThat(DeadLetterHeaders.text(r.headers(), RejectHeaders.RULE)).isEqualTo("money.currency-code");
            assertThat(DeadLetterHeaders.text(r.headers(), RejectHeaders.FIELD)).isEqualTo("payload.unit_price.currency");
            assertThat(DeadLetterHeaders.text(r.headers(), RejectHeaders.MESSAGE)).contains("'euro'");
        });
        assertThat(counters(kit, "contoso")).containsExactly(1L, 0L, 0L);
    }

    @Test
    void keepsTheHeadersARejectArrivedWith() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-abc-01".getBytes(StandardCharsets.UTF_8));
        headers.add(RejectHeaders.RULE, "stale-rule-from-an-earlier-attempt".getBytes(StandardCharsets.UTF_8));
        Envelope e = pageView("contoso", "10:00:00").setEventId("not-a-uuid").build();

        kit.input(TopicCatalogue.EVENTS).pipeInput(new TestRecord<>("contoso", e, headers, at("10:00:00")));

        TestRecord<String, Envelope> reject = kit.output(TopicCatalogue.REJECTS).readRecord();
        assertThat(DeadLetterHeaders.text(reject.headers(), "traceparent")).isEqualTo("00-abc-01");
        assertThat(reject.headers().headers(RejectHeaders.RULE)).hasSize(1);
        assertThat(DeadLetterHeaders.text(reject.headers(), RejectHeaders.RULE)).isEqualTo("event-id.uuid");
    }

    @Test
    void rejectsAnEventKeyedByAnotherTenantAndCountsItForTheKeysTenant() {
        Envelope contosos = pageView("contoso", "10:00:00").build();

        kit.input(TopicCatalogue.EVENTS).pipeInput("fabrikam", contosos, at("10:00:00"));

        assertThat(passedIds(kit)).isEmpty();
        TestRecord<String, Envelope> reject = kit.output(TopicCatalogue.REJECTS).readRecord();
        assertThat(reject.key()).isEqualTo("fabrikam");
        assertThat(DeadLetterHeaders.text(reject.headers(), RejectHeaders.RULE)).isEqualTo("tenant.matches-key");
        assertThat(counters(kit, "fabrikam")).containsExactly(1L, 0L, 0L);
        assertThat(counters(kit, "contoso")).containsExactly(0L, 0L, 0L);
    }

    @Test
    void rejectsARecordWithoutKeyOrValueAndCountsItAsUnattributed() {
        kit.input(TopicCatalogue.EVENTS).pipeInput(null, null, at("10:00:00"));

        TestRecord<String, Envelope> reject = kit.output(TopicCatalogue.REJECTS).readRecord();
        assertThat(reject.key()).isNull();
        assertThat(reject.value()).isNull();
        assertThat(DeadLetterHeaders.text(reject.headers(), RejectHeaders.RULE)).isEqualTo("envelope.present");
        assertThat(counters(kit, EnvelopeRules.UNATTRIBUTED)).containsExactly(1L, 0L, 0L);
    }

    @Test
    void countsRejectsPerTenant() {
        kit.send(
                pageView("contoso", "10:00:00").setEventTime(at("10:10:00")).build(),      // event time after ingestion + 5 min
                addToCart("contoso", "10:00:01", "sku-1", "-1", "EUR").build(),           // negative price
                pageView("fabrikam", "10:00:02").setPayload(null).build(),                // page view without payload
                pageView("fabrikam", "10:00:03").build());

        assertThat(kit.output(TopicCatalogue.REJECTS).readRecordsToList())
                .extracting(r -> DeadLetterHeaders.text(r.headers(), RejectHeaders.RULE))
                .containsExactly("time.event-not-after-ingestion", "money.non-negative", "payload.matches-type");
        assertThat(counters(kit, "contoso")).containsExactly(2L, 0L, 0L);
        assertThat(counters(kit, "fabrikam")).containsExactly(1L, 0L, 0L);
        assertThat(passedIds(kit)).hasSize(1);
    }
}
