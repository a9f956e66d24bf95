package io.pulse.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.PulseConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaClientSettingsTest {
    private static final Map<String, String> EVENTHUBS = Map.of(
            "PULSE_PROFILE", "eventhubs",
            "PULSE_LAKE_PSEUDONYMISATION_KEY", "a-pseudonymisation-key-for-tests-only",
            "PULSE_API_AUTH_ISSUER", "https://login.microsoftonline.com/0000-tenant/v2.0",
            "PULSE_API_AUTH_AUDIENCE", "api://pulse-insights",
            "PULSE_API_AUTH_JWKS_URL", "https://login.microsoftonline.com/0000-tenant/discovery/v2.0/keys");

    @Test
    void entraIdSignsInWithOAuthBearerAndCarriesNoSecret() {
        PulseConfig config = PulseConfig.load(Map.of(), EVENTHUBS, Map.of(
                "pulse.kafka.auth", "entra-id", "pulse.kafka.bootstrap-servers", "pulse-prod.servicebus.windows.net:9093"));
        KafkaClientSettings settings = new KafkaClientSettings(config.kafka());

        assertThat(settings.isEventHubs()).isTrue();
        assertThat(settings.eventHubsNamespace()).contains("pulse-prod.servicebus.windows.net");
        assertThat(settings.common())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "OAUTHBEARER")
                .containsEntry("sasl.login.callback.handler.class", EntraIdLoginCallbackHandler.class.getName())
                .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;");
        assertThat(settings.producer("p")).containsEntry("max.request.size", KafkaClientSettings.EVENTHUBS_MAX_REQUEST_SIZE);
        assertThat(settings.consumer("g", "c")).containsEntry("session.timeout.ms", 30_000);
    }

    @Test
    void theLocalProfileSignsInToNothing() {
        KafkaClientSettings settings = new KafkaClientSettings(PulseConfig.load(Map.of(), Map.of(), Map.of()).kafka());

        assertThat(settings.isEventHubs()).isFalse();
        assertThat(settings.common()).doesNotContainKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
    }
}
