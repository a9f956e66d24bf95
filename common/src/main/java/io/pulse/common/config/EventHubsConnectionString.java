package io.pulse.common.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Event Hubs (Service Bus) connection string:
 * {@code Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<name>;SharedAccessKey=<key>[;EntityPath=<hub>]}.
 *
 * <p>It is a secret: {@link #toString()} never shows the key, and nothing in Pulse logs {@link #value()}.
 */
public final class EventHubsConnectionString {
    private final String value;
    private final URI endpoint;
    private final String keyName;

    private EventHubsConnectionString(String value, URI endpoint, String keyName) {
        this.value = value;
        this.endpoint = endpoint;
        this.keyName = keyName;
    }

    /** Parses and checks the parts Event Hubs needs; the message names what is missing, never the key itself. */
    public static EventHubsConnectionString parse(String value) {
        Map<String, String> parts = new LinkedHashMap<>();
        for (String part : value.trim().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("is not a connection string: expected Key=Value parts separated by ';'");
            }
            parts.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        String endpoint = parts.get("Endpoint");
        if (endpoint == null || !endpoint.startsWith("sb://")) {
            throw new IllegalArgumentException("needs Endpoint=sb://<namespace>.servicebus.windows.net/");
        }
        if (!parts.containsKey("SharedAccessKeyName") || !parts.containsKey("SharedAccessKey")) {
            throw new IllegalArgumentException("needs SharedAccessKeyName and SharedAccessKey (copy it from the namespace's 'Shared access policies')");
        }
        URI uri = URI.create(endpoint);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("has an Endpoint without a host name");
        }
        return new EventHubsConnectionString(value.trim(), uri, parts.get("SharedAccessKeyName"));
    }

    /** The namespace's Kafka endpoint: {@code <namespace host>:9093}. */
    public String kafkaBootstrapServers() {
        return endpoint.getHost() + ":9093";
    }

    public String namespaceHost() {
        return endpoint.getHost();
    }

    /** The secret itself: only for the SASL password, never for logs. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return "EventHubsConnectionString[Endpoint=" + endpoint + ", SharedAccessKeyName=" + keyName + ", SharedAccessKey=***]";
    }
}
