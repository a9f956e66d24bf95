package io.pulse.lake.mapping;

import java.util.Objects;

/** Where a record was read from: the lake's lineage columns, and the coordinates every log line names. */
public record RecordOrigin(String topic, int partition, long offset) {
    public RecordOrigin {
        Objects.requireNonNull(topic, "topic");
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
