package io.pulse.embedded.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * An extra broker listener that authenticates the way Azure Event Hubs' Kafka endpoint does: TLS, then SASL
 * PLAIN. The broker accepts exactly the given user names and passwords (for Event Hubs: the literal user
 * {@code $ConnectionString} with the namespace's connection string as password).
 *
 * @param port             the listener's port; 0 picks a free one
 * @param keyStore         PKCS12 key store with the broker's certificate and private key
 * @param keyStorePassword password of the key store and of its key
 * @param users            user name to password; the only credentials the listener accepts
 */
public record SaslSslListener(int port, Path keyStore, String keyStorePassword, Map<String, String> users) {
    /** The listener's name in the broker configuration ({@code listener.name.sasl_ssl.*}). */
    public static final String NAME = "SASL_SSL";

    public SaslSslListener {
        Objects.requireNonNull(keyStore, "keyStore");
        Objects.requireNonNull(keyStorePassword, "keyStorePassword");
        users = Map.copyOf(users);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a SASL PLAIN listener needs at least one user");
        }
        for (String user : users.keySet()) {
            // The user name becomes a JAAS option name (user_<name>), which allows no other characters.
            if (!user.matches("[A-Za-z0-9_$-]+")) {
                throw new IllegalArgumentException("user names may use letters, digits, '_', '$' and '-', got '" + user + "'");
            }
        }
    }

    SaslSslListener withPort(int resolvedPort) {
        return new SaslSslListener(resolvedPort, keyStore, keyStorePassword, users);
    }

    @Override
    public String toString() {
        return "SaslSslListener[port=" + port + ", keyStore=" + keyStore + ", users=" + users.keySet() + "]";
    }
}
