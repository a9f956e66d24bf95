package io.pulse.topology.spine;

import io.pulse.common.envelope.EnvelopeRules;
import io.pulse.avro.Envelope;
import io.pulse.common.kafka.RejectHeaders;
import io.pulse.common.topics.StoreNames;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.topology.StageContext;
import io.pulse.common.envelope.EnvelopeRules.Violation;
import io.pulse.topology.spine.TenantCounterStore.Counter;
import io.pulse.topology.time.TenantPartitioner;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * First stage of the spine: passes the envelopes that keep every {@link EnvelopeRules rule}; sends the
 * others, unchanged, to {@link TopicCatalogue#REJECTS} with the broken rule, its field and a message in
 * {@link RejectHeaders}, and counts them per tenant in {@link StoreNames#SPINE_TENANT_COUNTERS}. Nothing
 * is dropped silently.
 *
 * <p>The rules live in {@link EnvelopeRules} (pure, unit-tested); this class only splits the stream.
 */
public final class ValidateStage {
    static final String NAME = "spine-validate";
    private static final String VALID = "-valid";
    private static final String REJECTED = "-rejected";
    private static final TenantPartitioner<Envelope> BY_TENANT = new TenantPartitioner<>();

    /** The envelopes that keep every rule, keyed and partitioned as they came (by tenant). */
    public KStream<String, Envelope> build(StageContext context, KStream<String, Envelope> events) {
        Map<String, KStream<String, Envelope>> branches = events
                .split(Named.as(NAME))
                .branch(EnvelopeRules::isValid, Branched.as(VALID))
                .defaultBranch(Branched.as(REJECTED));

        branches.get(NAME + REJECTED)
                .processValues(DescribeReject::new, Named.as(NAME + "-describe-reject"), StoreNames.SPINE_TENANT_COUNTERS)
                .to(TopicCatalogue.REJECTS.name(), Produced.with(Serdes.String(), context.serdes().valuesOf(TopicCatalogue.REJECTS))
                        .withStreamPartitioner(ValidateStage::partition)
                        .withName(NAME + "-rejects-sink"));
        return branches.get(NAME + VALID);
    }

    /** Rejects keep the key they came with; one without a key (nothing to partition by) goes where the producer puts it. */
    private static Optional<Set<Integer>> partition(String topic, String key, Envelope value, int partitions) {
        return key == null ? Optional.empty() : BY_TENANT.partitions(topic, key, value, partitions);
    }

    /** Names the broken rule in headers and counts the reject for its tenant. */
    private static final class DescribeReject implements FixedKeyProcessor<String, Envelope, Envelope> {
        private FixedKeyProcessorContext<String, Envelope> context;
        private TenantCounterStore counters;

        @Override
        public void init(FixedKeyProcessorContext<String, Envelope> context) {
            this.context = context;
            this.counters = TenantCounterStore.of(context);
        }

        @Override
        public void process(FixedKeyRecord<String, Envelope> record) {
            // The rules are deterministic: what the split rejected breaks a rule here too.
            Violation v = EnvelopeRules.firstViolation(record.key(), record.value())
                    .orElseThrow(() -> new IllegalStateException("a rejected envelope keeps every rule"));
            counters.increment(EnvelopeRules.accountableTenant(record.key(), record.value()), Counter.REJECTED);
            RecordHeaders headers = new RecordHeaders(record.headers().toArray());
            RejectHeaders.describe(headers, v.rule().id(), v.field(), v.message());
            context.forward(record.withHeaders(headers));
        }
    }
}
