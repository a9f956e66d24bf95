package io.pulse.topology.stages;

import io.pulse.avro.Alert;
import io.pulse.avro.AlertBaselines;
import io.pulse.avro.EnrichedEvent;
import io.pulse.avro.WindowedMetrics;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TenantKeys;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.EngagementStage;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySerdes;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.time.TenantPartitioner;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Spikes and dips of revenue (per currency) and conversion rate, per tenant and per store, scored against
 * a rolling baseline.
 *
 * <p><b>Input.</b> The final 1-minute records of {@link TopicCatalogue#METRICS} that carry a session or an
 * order ({@link MinuteMetrics#isAlertInput}), read back from the topic inside this topology rather than taken
 * as a stream from {@link WindowedMetricsStage}: the topic is the metrics' published contract (schema, final
 * flag, tenant partitioning), so this stage depends on nothing else of that stage and keeps the
 * one-line-per-stage rule; and it scores exactly what retailers and the lake see: final values only, and under
 * exactly-once committed ones only. It costs a round trip through the broker, which does not matter at one
 * record per series and minute. The topic is partitioned by tenant, so all of a tenant's series are in one
 * task, each in window order: no repartition. Event time is the record's window end, never the broker's
 * timestamp.
 *
 * <p><b>Series.</b> Keys are those the metrics stage publishes: the tenant's total ({@code tenant/*&#47;*}) and
 * each {@code tenant/store/channel} (a store's channel; stores are not summed over channels here, as that
 * would need to know when all of a window's channels have arrived). Per key: the conversion rate (windows
 * with a session) and the revenue of each currency (0 in a window without an order in it).
 *
 * <p><b>Score.</b> {@code z = (value - mean) / stddev} over the same series' previous
 * {@link TopologySettings#alertBaselineWindows()} final windows (population standard deviation). An alert
 * when the baseline holds exactly that many windows, its stddev is above 0, and {@code |z| >=}
 * {@link TopologySettings#alertThreshold()}: {@code SPIKE} above, {@code DIP} below. Minutes without any
 * event publish no metrics and are not part of a baseline: traffic stopping altogether is not detected here.
 *
 * <p><b>State.</b> Key-value store {@link StoreNames#ALERT_BASELINES}: per series key the last window scored
 * and each series' values; a window not newer than the last scored (a duplicate, a replay) changes nothing.
 *
 * <p><b>Output.</b> {@link TopicCatalogue#ALERTS}, keyed {@code tenant/store|*&#47;channel|*&#47;metric/window start},
 * partitioned by tenant, stamped with the window end.
 */
public final class AlertsStage implements EngagementStage {
    private static final String NAME = "alerts";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void build(StageContext context, KStream<String, EnrichedEvent> events) {
        TopologySettings settings = context.settings();
        TopologySerdes serdes = context.serdes();
        context.builder().addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.ALERT_BASELINES), Serdes.String(), serdes.values(AlertBaselines.class)));

        context.builder().stream(TopicCatalogue.METRICS.name(), Consumed.with(Serdes.String(), serdes.metrics())
                        .withTimestampExtractor(new WindowEndTimestampExtractor())
                        .withName(NAME + "-metrics-source"))
                .filter((key, m) -> MinuteMetrics.isAlertInput(m), Named.as(NAME + "-final-minutes"))
                .process(() -> new ScoreProcessor(new AlertDetector(settings.alertBaselineWindows(), settings.alertThreshold())),
                        Named.as(NAME + "-score"), StoreNames.ALERT_BASELINES)
                .to(TopicCatalogue.ALERTS.name(), Produced.with(Serdes.String(), serdes.valuesOf(TopicCatalogue.ALERTS))
                        .withStreamPartitioner(new TenantPartitioner<>())
                        .withName(NAME + "-sink"));
    }

    /** {@code tenant/store|*&#47;channel|*&#47;metric[:currency]/window start}. */
    static String alertKey(Alert a) {
        String metric = a.getCurrency() == null ? a.getMetric().name() : a.getMetric().name() + ":" + a.getCurrency();
        return TenantKeys.of(a.getTenant(), a.getStoreId() == null ? MinuteMetrics.ALL : a.getStoreId(),
                a.getChannel() == null ? MinuteMetrics.ALL : a.getChannel(), metric, a.getWindowStart().toString());
    }

    /**
     * Event time of a scored metrics record: its window end, which a final window's producer has passed already.
     * Every other record (provisional values, longer windows, whose ends lie ahead of the events that made them;
     * a record that did not deserialize) keeps the partition time, so it cannot move stream time forward.
     */
    static final class WindowEndTimestampExtractor implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            if (record.value() instanceof WindowedMetrics m && MinuteMetrics.isAlertInput(m)) {
                return m.getWindowEnd().toEpochMilli();
            }
            return partitionTime >= 0 ? partitionTime : record.timestamp();
        }
    }

    /** Scores each final window of a series key against the key's baselines in the store. */
    private static final class ScoreProcessor implements Processor<String, WindowedMetrics, String, Alert> {
        private final AlertDetector detector;
        private ProcessorContext<String, Alert> context;
        private KeyValueStore<String, AlertBaselines> baselines;

        ScoreProcessor(AlertDetector detector) {
            this.detector = detector;
        }

        @Override
        public void init(ProcessorContext<String, Alert> context) {
            this.context = context;
            this.baselines = context.getStateStore(StoreNames.ALERT_BASELINES);
        }

        @Override
        public void process(Record<String, WindowedMetrics> record) {
            MinuteMetrics.from(record.value()).ifPresent(window -> score(record, window));
        }

        private void score(Record<String, WindowedMetrics> record, MinuteMetrics window) {
            String key = window.seriesKey();
            detector.score(baselines.get(key), window, Instant.ofEpochMilli(context.currentSystemTimeMs()))
                    .ifPresent(outcome -> {
                        baselines.put(key, outcome.baselines());
                        for (Alert alert : outcome.alerts()) {
                            context.forward(record.withKey(alertKey(alert)).withValue(alert));
                        }
                    });
        }
    }
}
