package io.pulse.topology.stages;

import static io.pulse.common.testing.Envelopes.at;
import static io.pulse.common.testing.Envelopes.pageView;
import static io.pulse.common.testing.Envelopes.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertDirection;
import io.pulse.avro.AlertMetric;
import io.pulse.avro.RecentAlert;
import io.pulse.avro.RecentAlerts;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.testkit.StageTestKit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RecentAlertsStageTest {
    private static final Instant T0 = at("10:00:00");

    private final StageTestKit kit = new StageTestKit(TopologySettings.defaults());

    @AfterEach
    void close() {
        kit.close();
    }

    @Test
    void keepsEachTenantsAlertsNewestFirst() {
        publish(revenue("contoso", 1, AlertDirection.SPIKE), revenue("fabrikam", 1, AlertDirection.DIP),
                revenue("contoso", 2, AlertDirection.DIP), delivery("contoso", 3));

        assertThat(recent("contoso")).extracting(Alert::getMetric, Alert::getDirection, Alert::getWindowStart).containsExactly(
                tuple(AlertMetric.DELIVERY, AlertDirection.DIP, minute(3)),
                tuple(AlertMetric.REVENUE, AlertDirection.DIP, minute(2)),
                tuple(AlertMetric.REVENUE, AlertDirection.SPIKE, minute(1)));
        assertThat(recent("fabrikam")).extracting(Alert::getTenant, Alert::getDirection).containsExactly(tuple("fabrikam", AlertDirection.DIP));
        assertThat(recent("northwind")).isEmpty();
    }

    @Test
    void dropsTheOldestBeyondTheBound() {
        int sent = RecentAlertsStage.KEPT + 5;
        publish(IntStream.range(0, sent).mapToObj(i -> revenue("contoso", i, AlertDirection.SPIKE)).toArray(Alert[]::new));

        List<Alert> kept = recent("contoso");

        assertThat(kept).hasSize(RecentAlertsStage.KEPT);
        assertThat(kept.get(0).getWindowStart()).isEqualTo(minute(sent - 1));
        assertThat(kept.get(kept.size() - 1).getWindowStart()).as("the five oldest dropped out").isEqualTo(minute(5));
    }

    @Test
    void listsAReplayedAlertOnce() {
        Alert first = revenue("contoso", 1, AlertDirection.SPIKE);
        Alert replayed = Alert.newBuilder(first).setDetectedAt(first.getDetectedAt().plusSeconds(30)).build(); // re-scored after a crash

        publish(first, revenue("contoso", 2, AlertDirection.DIP), replayed);

        assertThat(recent("contoso")).extracting(Alert::getWindowStart, Alert::getDetectedAt)
                .containsExactly(tuple(minute(2), minute(3)), tuple(minute(1), minute(2)));
    }

    @Test
    void keepsTheAlertsTheAlertsStageRaisesFromEvents() {
        try (StageTestKit events = new StageTestKit(TopologySettings.withGrace(Duration.ofSeconds(30)).withAlerts(5, 3.0))) {
            // As AlertsStageTest: revenue 96, 104, 96, 104, 96, then 500; a page view at 10:07 closes the sixth minute.
            String[] totals = {"96.00", "104.00", "96.00", "104.00", "96.00", "500.00"};
            for (int i = 0; i < totals.length; i++) {
                String minute = String.format("10:%02d", i);
                events.send(pageView("contoso", minute + ":10").build(), purchase("contoso", minute + ":40", totals[i], "EUR").build());
            }
            events.send(pageView("contoso", "10:07:00").build());

            RecentAlerts stored = events.<RecentAlerts>keyValueStore(StoreNames.RECENT_ALERTS).get("contoso");

            assertThat(stored.getAlerts()).extracting(RecentAlert::getKey).containsExactlyInAnyOrder(
                    "contoso/*/*/REVENUE:EUR/2026-11-21T10:05:00Z", "contoso/web/WEB/REVENUE:EUR/2026-11-21T10:05:00Z");
            assertThat(stored.getAlerts()).extracting(a -> a.getAlert().getValue()).containsOnly(500.0);
        }
    }

    @Test
    void addKeepsTheSameListWhenTheKeyIsThere() {
        Alert a = revenue("contoso", 1, AlertDirection.SPIKE);
        RecentAlerts once = RecentAlertsStage.add(null, "k1", a, 3);

        assertThat(RecentAlertsStage.add(once, "k1", revenue("contoso", 9, AlertDirection.DIP), 3)).isSameAs(once);
        assertThat(RecentAlertsStage.add(RecentAlertsStage.add(RecentAlertsStage.add(once, "k2", a, 3), "k3", a, 3), "k4", a, 3).getAlerts())
                .extracting(RecentAlert::getKey).containsExactly("k4", "k3", "k2");
    }

    // --- helpers --------------------------------------------------------------------------------------

    private void publish(Alert... alerts) {
        TestInputTopic<String, Alert> in = kit.input(TopicCatalogue.ALERTS);
        for (Alert a : alerts) {
            in.pipeInput(key(a), a, a.getWindowEnd());
        }
    }

    private static String key(Alert a) {
        String metric = a.getCurrency() == null ? a.getMetric().name() : a.getMetric().name() + ":" + a.getCurrency();
        return TenantKeys.of(a.getTenant(), "*", "*", metric, a.getWindowStart().toString());
    }

    private List<Alert> recent(String tenant) {
        RecentAlerts r = kit.<RecentAlerts>keyValueStore(StoreNames.RECENT_ALERTS).get(tenant);
        return r == null ? List.of() : r.getAlerts().stream().map(RecentAlert::getAlert).toList();
    }

    private static Instant minute(int m) {
        return T0.plus(Duration.ofMinutes(m));
    }

    private static Alert revenue(String tenant, int minute, AlertDirection direction) {
        return Alert.newBuilder()
                .setTenant(tenant)
                .setMetric(AlertMetric.REVENUE)
                .setCurrency("EUR")
                .setDirection(direction)
                .setValue(direction == AlertDirection.SPIKE ? 500 : 5)
                .setBaselineMean(100)
                .setBaselineStddev(10)
                .setScore(direction == AlertDirection.SPIKE ? 40 : -9.5)
                .setBaselineWindows(10)
                .setWindowStart(minute(minute))
                .setWindowEnd(minute(minute + 1))
                .setDetectedAt(minute(minute + 1))
                .build();
    }

    private static Alert delivery(String tenant, int minute) {
        return Alert.newBuilder(revenue(tenant, minute, AlertDirection.DIP))
                .setMetric(AlertMetric.DELIVERY).setCurrency(null).setSource("http/demo").setMessage("event e-1 sent to the dead letters")
                .build();
    }
}
