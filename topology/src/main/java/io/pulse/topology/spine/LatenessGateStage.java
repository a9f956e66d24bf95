package io.pulse.topology.spine;

import io.pulse.avro.Envelope;
import io.pulse.common.kafka.LateEventHeaders;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.StageContext;
import io.pulse.topology.TopologySettings;
import io.pulse.topology.spine.TenantCounterStore.Counter;
import io.pulse.topology.time.TenantPartitioner;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Third stage of the spine: an event older than stream time minus {@link TopologySettings#windowGrace()}
 * goes to {@link TopicCatalogue#LATE_EVENTS} (headers: {@link LateEventHeaders}) and is counted per
 * tenant in {@link StoreNames#SPINE_TENANT_COUNTERS}; it counts in no window. Everything else passes, and
 * raises the tenant's newest event time in the same store (the API's freshness and window finality).
 *
 * <h2>Why one gate upstream of all windows</h2>
 * Each Kafka Streams window operator decides lateness on its own, against the stream time it has
 * observed, and silently drops what is too late. Left to themselves, the 1-minute, 5-minute, hourly and
 * session windows would disagree on the same event: the hourly window (more grace) would count an event
 * the 1-minute window dropped, so the hourly total would no longer be the sum of its minutes, and the
 * dropped event would be counted nowhere as late. Here the decision is taken once, before any window:
 * <ul>
 *   <li>an event that passes is at most {@code windowGrace} behind this gate's stream time. Every window
 *       operator downstream sees a subset of what passed, in the same order, so its own stream time is
 *       never ahead of the gate's; with a grace of at least {@code windowGrace} (1- and 5-minute windows:
 *       exactly that, hourly and daily: {@code hourlyWindowGrace}, which is no less) none of them drops
 *       it. Re-keyed stages keep this, as they repartition by tenant and keep the order;</li>
 *   <li>an event that does not pass reaches none of them.</li>
 * </ul>
 * So every window family counts exactly the same events, and what none counts is on the late-events
 * topic and in the late counter: input = metrics + rejects + duplicates + late, exactly.
 *
 * <h2>Whose stream time</h2>
 * The gate's stream time is the largest event time among the events that reached it in this task: the
 * valid, first copies from one events partition, in offset order. It is kept in the changelogged store
 * {@value #STREAM_TIME_STORE} (one entry per task), so it survives restarts and rebalances: a
 * late event stays late after a crash, and a window that already published its final value is never
 * reopened. It deliberately is not the task's {@code currentStreamTimeMs()}: that also advances on
 * records that never reach a window (a rejected envelope with an event time in 2099, the customer
 * reference data read in the same task with broker timestamps), and one such record would make
 * every later event of the partition "late".
 */
public final class LatenessGateStage {
    static final String NAME = "spine-lateness";
    /** Key-value store with one entry per task: the gate's stream time (epoch ms). */
    public static final String STREAM_TIME_STORE = "spine-lateness-stream-time-v1";
    private static final String STREAM_TIME_KEY = "stream-time";
    private static final String ON_TIME = "-on-time";
    private static final String LATE = "-late";

    /** An event and the gate's verdict; the late ones carry their {@link LateEventHeaders}. Never serialized. */
    private record Gated(Envelope event, boolean late) {
    }

    /** The events no older than stream time minus the window grace. */
    public KStream<String, Envelope> build(StageContext context, KStream<String, Envelope> uniqueEvents) {
        Duration grace = context.settings().windowGrace();
        context.builder().addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(STREAM_TIME_STORE), Serdes.String(), Serdes.Long()).withCachingEnabled());

        Map<String, KStream<String, Gated>> branches = uniqueEvents
                .processValues(() -> new Gate(grace), Named.as(NAME + "-gate"), STREAM_TIME_STORE, StoreNames.SPINE_TENANT_COUNTERS)
                .split(Named.as(NAME))
                .branch((tenant, gated) -> !gated.late(), Branched.as(ON_TIME))
                .defaultBranch(Branched.as(LATE));

        branches.get(NAME + LATE)
                .mapValues(Gated::event, Named.as(NAME + "-late-events"))
                .to(TopicCatalogue.LATE_EVENTS.name(), Produced.with(Serdes.String(), context.serdes().valuesOf(TopicCatalogue.LATE_EVENTS))
                        .withStreamPartitioner(new TenantPartitioner<>())
                        .withName(NAME + "-late-events-sink"));
        return branches.get(NAME + ON_TIME).mapValues(Gated::event, Named.as(NAME + "-on-time-events"));
    }

    private static final class Gate implements FixedKeyProcessor<String, Envelope, Gated> {
        private final Duration grace;
        private FixedKeyProcessorContext<String, Gated> context;
        private KeyValueStore<String, Long> streamTimes;
        private TenantCounterStore counters;

        Gate(Duration grace) {
            this.grace = grace;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, Gated> context) {
            this.context = context;
            this.streamTimes = context.getStateStore(STREAM_TIME_STORE);
            this.counters = TenantCounterStore.of(context);
        }

        @Override
        public void process(FixedKeyRecord<String, Envelope> record) {
            Envelope event = record.value();
            long eventTime = event.getEventTime().toEpochMilli();
            Long before = streamTimes.get(STREAM_TIME_KEY);
            if (before == null || eventTime > before) {
                streamTimes.put(STREAM_TIME_KEY, eventTime);
            }
            long streamTime = before == null ? eventTime : Math.max(before, eventTime);
            Duration lateness = Duration.ofMillis(streamTime - eventTime);
            if (lateness.compareTo(grace) <= 0) {
                counters.advanceNewestEventTime(event.getTenant(), event.getEventTime());
                context.forward(record.withValue(new Gated(event, false)));
                return;
            }
            counters.increment(event.getTenant(), Counter.LATE);
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            LateEventHeaders.describe(headers, lateness, Instant.ofEpochMilli(streamTime), grace);
            context.forward(record.withValue(new Gated(event, true)).withHeaders(headers));
        }
    }
}
