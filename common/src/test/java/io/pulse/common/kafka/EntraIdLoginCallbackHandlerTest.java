package io.pulse.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class EntraIdLoginCallbackHandlerTest {
    private static final OffsetDateTime EXPIRES = OffsetDateTime.of(2026, 11, 21, 18, 0, 0, 0, ZoneOffset.UTC);
    private final List<List<String>> requestedScopes = new ArrayList<>();

    private TokenCredential issuing(String token) {
        return (TokenRequestContext request) -> {
            requestedScopes.add(List.copyOf(request.getScopes()));
            return Mono.just(new AccessToken(token, EXPIRES));
        };
    }

    private static EntraIdLoginCallbackHandler configured(EntraIdLoginCallbackHandler handler, Object bootstrap) {
        handler.configure(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap), "OAUTHBEARER", List.of());
        return handler;
    }

    @Test
    void answersTheLoginWithATokenForTheNamespaceAudience() throws Exception {
        EntraIdLoginCallbackHandler handler = configured(new EntraIdLoginCallbackHandler(issuing("eyJ.token.sig")),
                List.of("pulse-prod.servicebus.windows.net:9093"));
        OAuthBearerTokenCallback callback = new OAuthBearerTokenCallback();

        handler.handle(new Callback[] {callback});

        assertThat(requestedScopes).containsExactly(List.of("https://pulse-prod.servicebus.windows.net/.default"));
        assertThat(callback.token().value()).isEqualTo("eyJ.token.sig");
        assertThat(callback.token().lifetimeMs()).isEqualTo(EXPIRES.toInstant().toEpochMilli());
        assertThat(callback.token().scope()).containsExactly("https://pulse-prod.servicebus.windows.net/.default");
        assertThat(callback.token().toString()).doesNotContain("eyJ.token.sig");
    }

    @Test
    void takesTheFirstBootstrapServerWhenGivenAsOneString() {
        assertThat(EntraIdLoginCallbackHandler.scopeFor("a.servicebus.windows.net:9093, b.servicebus.windows.net:9093"))
                .isEqualTo("https://a.servicebus.windows.net/.default");
    }

    @Test
    void aFailedTokenRequestSaysWhatToCheck() {
        TokenCredential failing = request -> Mono.error(new IllegalStateException("WorkloadIdentityCredential authentication unavailable"));
        EntraIdLoginCallbackHandler handler = configured(new EntraIdLoginCallbackHandler(failing), "pulse-prod.servicebus.windows.net:9093");

        assertThatThrownBy(() -> handler.handle(new Callback[] {new OAuthBearerTokenCallback()}))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("https://pulse-prod.servicebus.windows.net/.default")
                .hasMessageContaining("pulse.kafka.auth=entra-id")
                .hasMessageContaining("WorkloadIdentityCredential authentication unavailable");
    }

    @Test
    void refusesOtherMechanismsAndCallbacks() {
        EntraIdLoginCallbackHandler handler = new EntraIdLoginCallbackHandler(issuing("t"));
        assertThatThrownBy(() -> handler.configure(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "ns:9093"), "PLAIN", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PLAIN");
        configured(handler, "ns:9093");
        assertThatThrownBy(() -> handler.handle(new Callback[] {new javax.security.auth.callback.NameCallback("user")}))
                .isInstanceOf(UnsupportedCallbackException.class);
    }
}
