package io.pulse.common.config;

import java.util.Locale;

/** Where Pulse runs: on one machine with embedded infrastructure, or against Azure Event Hubs. */
public enum Profile {
    /** Embedded broker and registry, data under the data directory, exactly_once_v2. */
    LOCAL,
    /** Azure Event Hubs' Kafka endpoint (SASL_SSL), at_least_once plus de-duplication. */
    EVENTHUBS;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Profile parse(String value) {
        for (Profile p : values()) {
            if (p.id().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("must be one of 'local' or 'eventhubs'");
    }
}
