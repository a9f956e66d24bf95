package io.pulse.topology.stages;

import io.pulse.avro.Alert;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.RecentAlert;
import io.pulse.avro.RecentAlerts;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The latest alerts of each tenant, for the insights API: every record of {@link TopicCatalogue#ALERTS} (the
 * alerts stage's spikes and dips, and the ingest path's DELIVERY alerts) goes to the front of its tenant's list
 * in the key-value store {@link StoreNames#RECENT_ALERTS}; beyond {@value #KEPT} alerts the oldest drop out.
 *
 * <p><b>Input.</b> The alerts topic read back inside this topology, as the alerts stage reads the metrics topic:
 * the topic is the alerts' published contract, and it also carries alerts this topology does not raise. It is
 * partitioned by tenant, so a tenant's alerts all reach one task, in order; nothing re-keys, nothing repartitions.
 * No window reads this source, so its timestamps do not matter.
 *
 * <p><b>Order and replays.</b> Newest first by arrival. An alert whose key (tenant, store, channel, metric,
 * window start) is already in the list changes nothing, so a replay after a crash under at-least-once is not
 * listed twice.
 */
public final class RecentAlertsStage implements EngagementStage {
    /** Alerts kept per tenant: the most the API lists. */
    public static final int KEPT = 100;
    private static final String NAME = "recent-alerts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySerdes serdes = context.serdes();
        context.builder().addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.RECENT_ALERTS), Serdes.String(), serdes.values(RecentAlerts.class)));

        context.builder().stream(TopicCatalogue.ALERTS.name(), Consumed.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.ALERTS))
                        .withName(NAME + "-alerts-source"))
                .process(KeepProcessor::new, Named.as(NAME + "-keep"), StoreNames.RECENT_ALERTS);
    }

    /**
     * The list with {@code alert} in front, at most {@code kept} long; the same list if an alert with the same
     * key is already in it.
     */
    static RecentAlerts add(RecentAlerts current, String key, Alert alert, int kept) {
        List<RecentAlert> before = current == null ? List.of() : current.getAlerts();
        if (before.stream().anyMatch(a -> a.getKey().equals(key))) {
            return current;
        }
        List<RecentAlert> after = new ArrayList<>(Math.min(kept, before.size() + 1));
        after.add(RecentAlert.newBuilder().setKey(key).setAlert(alert).build());
        after.addAll(before.subList(0, Math.min(before.size(), kept - 1)));
        return RecentAlerts.newBuilder().setAlerts(after).build();
    }

    /** Puts each alert in front of its tenant's list. */
    private static final class KeepProcessor implements Processor<String, Alert, Void, Void> {
        private KeyValueStore<String, RecentAlerts> recent;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.recent = context.getStateStore(StoreNames.RECENT_ALERTS);
        }

        @Override
        public void process(Record<String, Alert> record) {
            Alert alert = record.value();
            if (alert == null) {
                return; // nothing to keep: the topic has no tombstones, and unreadable records go to the dead letters
            }
            String tenant = alert.getTenant();
            String key = record.key() != null ? record.key() : AlertsStage.alertKey(alert);
            RecentAlerts current = recent.get(tenant);
            RecentAlerts next = add(current, key, alert, KEPT);
            if (next != current) {
                recent.put(tenant, next);
            }
        }
    }
}
