package io.pulse.topology.time;

import io.pulse.common.envelope.EnvelopeRules;
import io.pulse.avro.Envelope;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time comes from the envelope, never from the broker: Event Hubs stamps records with append
 * time. A record that is not an envelope (it failed to deserialize and goes to the dead-letter topic),
 * or an envelope whose timestamps break the {@link EnvelopeRules} (it goes to the rejects topic; an event
 * time in 2099 would otherwise push the task's stream time years ahead), keeps the partition time so
 * it does not move stream time.
 */
public final class EnvelopeTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Envelope e && EnvelopeRules.hasSaneTimes(e)) {
            return e.getEventTime().toEpochMilli();
        }
        return partitionTime >= 0 ? partitionTime : record.timestamp();
    }
}
