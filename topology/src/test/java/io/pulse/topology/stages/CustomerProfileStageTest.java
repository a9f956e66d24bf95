package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.money;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.CustomerProfile;
import io.pulse.avro.Envelope;
import io.pulse.avro.RfmSegment;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CustomerProfileStageTest {
    private static final String C1 = "contoso/c-1";

    private StageTestKit kit = new StageTestKit(TopologySettings.withGrace(Duration.ofMinutes(5)));

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void accumulatesOrdersAndRevenueExactlyPerCurrencyAndTenant() {
        kit.send(
                pageView("contoso", "10:00:00").build(),
                purchase("contoso", "10:05:00", "0.10", "EUR").build(),
                purchase("contoso", "10:06:00", "0.20", "EUR").build(),
                purchase("contoso", "10:07:00", "5.50", "USD").build(),
                purchase("fabrikam", "10:08:00", "99.00", "EUR").build()); // the same customer id at another retailer

        CustomerProfile p = profile(C1);
        assertThat(p.getTenant()).isEqualTo("contoso");
        assertThat(p.getCustomerId()).isEqualTo("c-1");
        assertThat(p.getEvents()).isEqualTo(4);
        assertThat(p.getOrders()).isEqualTo(3);
        assertThat(p.getRevenue()).containsExactly(money("0.30", "EUR"), money("5.50", "USD"));
        assertThat(p.getRevenue().get(0).getAmount()).hasToString("0.3000");
        assertThat(p.getFirstSeen()).isEqualTo(at("10:00:00"));
        assertThat(p.getLastActivity()).isEqualTo(at("10:07:00"));
        assertThat(p.getLastOrder()).isEqualTo(at("10:07:00"));
        assertThat(p.getActiveDays()).isEqualTo(1);
        assertThat(profile("fabrikam/c-1").getRevenue()).containsExactly(money("99.00", "EUR"));

        List<KeyValue<String, CustomerProfile>> out = kit.output(TopicCatalogue.CUSTOMER_PROFILES).readKeyValuesToList();
        assertThat(out).extracting(kv -> kv.key, kv -> kv.value.getOrders())
                .containsExactly(tuple(C1, 0L), tuple(C1, 1L), tuple(C1, 2L), tuple(C1, 3L), tuple("fabrikam/c-1", 1L));
        assertThat(out.get(3).value).isEqualTo(p);
    }

    @Test
    void countsEachUtcDayWithActivityOnceAcrossMidnightOutOfOrder() {
        kit.send(
                on(pageView("contoso", "10:00:00"), at("2026-11-21", "10:00:00")),
                on(pageView("contoso", "10:00:00"), at("2026-11-21", "23:58:00")),
                on(pageView("contoso", "10:00:00"), at("2026-11-22", "00:01:00")),
                on(pageView("contoso", "10:00:00"), at("2026-11-21", "23:59:00")), // 2 min behind, a day already counted
                on(pageView("contoso", "10:00:00").setCustomerId("c-3"), at("2026-11-22", "00:02:00")),
                on(pageView("contoso", "10:00:00").setCustomerId("c-3"), at("2026-11-21", "23:59:30"))); // its first 21st

        assertThat(profile(C1).getActiveDays()).isEqualTo(2);
        assertThat(profile(C1).getEvents()).isEqualTo(4);
        assertThat(profile("contoso/c-3").getActiveDays()).isEqualTo(2);
        assertThat(profile("contoso/c-3").getFirstSeen()).isEqualTo(at("2026-11-21", "23:59:30"));
        assertThat(profile("contoso/c-3").getLastActivity()).isEqualTo(at("2026-11-22", "00:02:00"));
    }

    @Test
    void movesBetweenSegmentsWithBehaviourAndTime() {
        Instant start = at("10:00:00");
        for (int i = 0; i < 5; i++) {
            kit.send(on(purchase("contoso", "10:00:00", "100.00", "EUR"), start.plus(Duration.ofMinutes(i))));
        }
        assertThat(segmentsOf(C1)).containsExactly(
                RfmSegment.NEW, RfmSegment.POTENTIAL_LOYALIST, RfmSegment.LOYAL, RfmSegment.LOYAL, RfmSegment.CHAMPIONS);

        Instant lastPurchase = start.plus(Duration.ofMinutes(4));
        // Time passes for c-1 only through other customers' events (stream time).
        kit.send(on(pageView("contoso", "10:00:00").setCustomerId("c-2"), lastPurchase.plus(Duration.ofDays(10))));
        kit.send(on(pageView("contoso", "10:00:00").setCustomerId("c-2"), lastPurchase.plus(Duration.ofDays(31))));
        kit.send(on(pageView("contoso", "10:00:00").setCustomerId("c-2"), lastPurchase.plus(Duration.ofDays(100))));
        List<CustomerProfile> idle = profilesOf(C1);
        assertThat(idle).extracting(CustomerProfile::getRecencyScore, CustomerProfile::getSegment, CustomerProfile::getChurnRisk)
                .containsExactly(
                        tuple(4, RfmSegment.CHAMPIONS, false),
                        tuple(3, RfmSegment.LOYAL, true),    // 31 days: past the 30-day churn period
                        tuple(2, RfmSegment.AT_RISK, true));
        assertThat(idle).allSatisfy(p -> assertThat(p.getOrders()).isEqualTo(5));
        assertThat(profile(C1).getSegment()).isEqualTo(RfmSegment.AT_RISK);

        kit.send(on(purchase("contoso", "10:00:00", "100.00", "EUR"), lastPurchase.plus(Duration.ofDays(100)).plusSeconds(60)));
        assertThat(profile(C1)).satisfies(p -> {
            assertThat(p.getSegment()).isEqualTo(RfmSegment.CHAMPIONS);
            assertThat(p.getChurnRisk()).isFalse();
            assertThat(p.getRevenue()).containsExactly(money("600.00", "EUR"));
        });
    }

    @Test
    void flagsChurnRiskOnlyAfterTheChurnPeriodOfStreamTimeWithoutActivity() {
        restartWith(TopologySettings.withGrace(Duration.ofSeconds(30)).withChurnAfter(Duration.ofHours(6)));
        kit.send(pageView("contoso", "10:00:00").build());
        assertThat(profilesOf(C1)).extracting(CustomerProfile::getChurnRisk).containsExactly(false);

        kit.send(pageView("contoso", "16:00:00").setCustomerId("c-2").build()); // exactly 6 h: not longer than the period
        assertThat(profilesOf(C1)).as("unchanged profiles are not re-published").isEmpty();
        assertThat(profile(C1).getChurnRisk()).isFalse();

        kit.send(pageView("contoso", "17:00:00").setCustomerId("c-2").build());
        assertThat(profilesOf(C1)).singleElement().satisfies(p -> {
            assertThat(p.getChurnRisk()).isTrue();
            assertThat(p.getAsOf()).isEqualTo(at("17:00:00"));
            assertThat(p.getLastActivity()).isEqualTo(at("10:00:00"));
        });
        assertThat(profile(C1).getChurnRisk()).isTrue();
        assertThat(profile("contoso/c-2").getChurnRisk()).isFalse();

        kit.send(pageView("contoso", "17:05:00").build());
        assertThat(profile(C1).getChurnRisk()).isFalse();
    }

    @Test
    void keepsNoProfileForAnonymousVisitors() {
        kit.send(
                pageView("contoso", "10:00:00").setCustomerId(null).setSessionId("s-a").build(),
                pageView("contoso", "10:01:00").build());

        assertThat(storedKeys()).containsExactly(C1);
        assertThat(kit.output(TopicCatalogue.CUSTOMER_PROFILES).readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(C1);
    }

    private void restartWith(TopologySettings settings) {
        kit.close();
        kit = new StageTestKit(settings);
    }

    private static Envelope on(Envelope.Builder event, Instant time) {
        return event.setEventTime(time).setIngestionTime(time).build();
    }

    private CustomerProfile profile(String key) {
        return kit.<CustomerProfile>keyValueStore(StoreNames.CUSTOMER_PROFILES).get(key);
    }

    private List<String> storedKeys() {
        KeyValueStore<String, CustomerProfile> store = kit.keyValueStore(StoreNames.CUSTOMER_PROFILES);
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, CustomerProfile> all = store.all()) {
            all.forEachRemaining(kv -> keys.add(kv.key));
        }
        return keys;
    }

    /** Profiles published for one key since the last read (of any key). */
    private List<CustomerProfile> profilesOf(String key) {
        return kit.output(TopicCatalogue.CUSTOMER_PROFILES).readKeyValuesToList().stream()
                .filter(kv -> kv.key.equals(key)).map(kv -> kv.value).toList();
    }

    private List<RfmSegment> segmentsOf(String key) {
        return profilesOf(key).stream().map(CustomerProfile::getSegment).toList();
    }
}
