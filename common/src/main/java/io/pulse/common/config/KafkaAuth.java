package io.pulse.common.config;

import java.util.Locale;

/** How Pulse signs in to Kafka. */
public enum KafkaAuth {
    /** No authentication: the embedded broker of the local profile. */
    NONE,
    /** Event Hubs: SASL PLAIN with {@code $ConnectionString} and the namespace's connection string (environment only). */
    CONNECTION_STRING,
    /**
     * Event Hubs: SASL OAUTHBEARER with Entra ID tokens for {@code https://<namespace>/.default}, from the process's
     * Azure identity (workload identity on AKS, managed identity, or a developer's Azure CLI login). No secret at all.
     */
    ENTRA_ID;

    /** The value of {@code pulse.kafka.auth}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static KafkaAuth parseForEventHubs(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals(CONNECTION_STRING.id())) {
            return CONNECTION_STRING;
        }
        if (v.equals(ENTRA_ID.id())) {
            return ENTRA_ID;
        }
        throw new IllegalArgumentException("must be 'connection-string' or 'entra-id'");
    }
}
