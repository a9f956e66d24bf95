package io.pulse.common.kafka;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Signs Kafka clients in to Event Hubs with Entra ID ({@code pulse.kafka.auth=entra-id}): the SASL OAUTHBEARER login
 * callback, answered with a token for {@code https://<namespace>/.default} from the process's Azure identity
 * ({@link DefaultAzureCredentialBuilder}: workload identity on AKS, a managed identity, or a developer's Azure CLI
 * login). Kafka's login module calls it at sign-in and again before the token expires.
 *
 * <p>Kafka creates it by class name ({@code sasl.login.callback.handler.class}), hence the no-argument constructor.
 */
public final class EntraIdLoginCallbackHandler implements AuthenticateCallbackHandler {
    /** How long the token request may take before the sign-in fails with a message that says so. */
    static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private final TokenCredential credential;
    private String scope;

    public EntraIdLoginCallbackHandler() {
        this(null);
    }

    /** With a given credential instead of the default chain (tests). */
    EntraIdLoginCallbackHandler(TokenCredential credential) {
        this.credential = credential;
    }

    private TokenCredential credential() {
        return credential != null ? credential : Holder.DEFAULT;
    }

    /** The default chain is built once per JVM: it caches tokens and probes the environment only once. */
    private static final class Holder {
        static final TokenCredential DEFAULT = new DefaultAzureCredentialBuilder().build();
    }

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        if (!"OAUTHBEARER".equals(saslMechanism)) {
            throw new IllegalArgumentException("Entra ID sign-in is SASL OAUTHBEARER, not " + saslMechanism);
        }
        scope = scopeFor(configs.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    /** {@code https://<host of the first bootstrap server>/.default}: the audience Event Hubs expects. */
    static String scopeFor(Object bootstrapServers) {
        String first = bootstrapServers instanceof List<?> list && !list.isEmpty() ? String.valueOf(list.get(0))
                : String.valueOf(bootstrapServers).split(",")[0];
        String host = first.trim().replaceFirst(":\\d+$", "");
        if (host.isEmpty() || host.equals("null")) {
            throw new IllegalArgumentException("Entra ID sign-in needs the namespace in bootstrap.servers, got " + bootstrapServers);
        }
        return "https://" + host + "/.default";
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (!(callback instanceof OAuthBearerTokenCallback tokenCallback)) {
                throw new UnsupportedCallbackException(callback);
            }
            AccessToken token;
            try {
                token = credential().getToken(new TokenRequestContext().addScopes(scope)).block(TOKEN_TIMEOUT);
            } catch (RuntimeException e) {
                // Kafka logs this and retries the login with backoff; the message is what an operator sees.
                throw new KafkaException("cannot get an Entra ID token for " + scope + " (pulse.kafka.auth=entra-id; on AKS the pod needs"
                        + " workload identity and the 'Azure Event Hubs Data Sender/Receiver' roles): " + e.getMessage(), e);
            }
            if (token == null) {
                throw new KafkaException("no Entra ID token for " + scope + " within " + TOKEN_TIMEOUT);
            }
            tokenCallback.token(new EntraIdToken(token.getToken(), token.getExpiresAt().toInstant(), scope));
        }
    }

    @Override
    public void close() {
    }

    /** An Entra ID access token as Kafka's OAUTHBEARER login module wants it. */
    record EntraIdToken(String value, Instant expiresAt, String scopeValue) implements OAuthBearerToken {
        @Override
        public Set<String> scope() {
            return Set.of(scopeValue);
        }

        @Override
        public long lifetimeMs() {
            return expiresAt.toEpochMilli();
        }

        @Override
        public String principalName() {
            return "entra-id";
        }

        @Override
        public Long startTimeMs() {
            return null;
        }

        @Override
        public String toString() {
            return "EntraIdToken[scope=" + scopeValue + ", expiresAt=" + expiresAt + "]"; // never the token
        }
    }
}
