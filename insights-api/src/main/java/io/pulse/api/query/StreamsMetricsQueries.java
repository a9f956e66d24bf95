package io.pulse.api.query;

import io.pulse.avro.MetricsState;
import io.pulse.common.topics.StoreNames;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** {@link MetricsQueries} over this instance's Kafka Streams state stores (interactive queries). */
public final class StreamsMetricsQueries implements MetricsQueries {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(2);
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final KafkaStreams streams;

    public StreamsMetricsQueries(KafkaStreams streams) {
        this.streams = streams;
    }

    @Override
    public List<WindowCount> eventCounts(String tenant, Instant from, Instant to) {
        List<WindowCount> result = new ArrayList<>();
        try (WindowStoreIterator<MetricsState> it = tenantMinutes().fetch(tenant, from, to)) {
            while (it.hasNext()) {
                KeyValue<Long, MetricsState> kv = it.next();
                Instant start = Instant.ofEpochMilli(kv.key);
                result.add(new WindowCount(start, start.plus(WINDOW), kv.value.getEvents()));
            }
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
        return result;
    }

    @Override
    public boolean isQueryable() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    /** Tenant-wide 1-minute windows of the windowed-metrics stage. */
    private ReadOnlyWindowStore<String, MetricsState> tenantMinutes() {
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(StoreNames.WINDOWED_METRICS_TENANT_1M,
                    QueryableStoreTypes.windowStore()));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private StoreUnavailableException unavailable(InvalidStateStoreException e) {
        return new StoreUnavailableException("Metrics are not queryable right now (Kafka Streams is " + streams.state()
                + "); try again shortly", RETRY_AFTER, e);
    }
}
