package io.pulse.common.config;

import java.util.Locale;

/** Kafka Streams' processing guarantee, as Pulse lets it be chosen. */
public enum ProcessingGuarantee {
    EXACTLY_ONCE_V2("exactly_once_v2"),
    AT_LEAST_ONCE("at_least_once");

    private final String streamsValue;

    ProcessingGuarantee(String streamsValue) {
        this.streamsValue = streamsValue;
    }

    /** The value of Kafka Streams' {@code processing.guarantee}. */
    public String streamsValue() {
        return streamsValue;
    }

    static ProcessingGuarantee parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (ProcessingGuarantee g : values()) {
            if (g.streamsValue.equals(v)) {
                return g;
            }
        }
        throw new IllegalArgumentException("must be 'exactly_once_v2' or 'at_least_once'");
    }
}
