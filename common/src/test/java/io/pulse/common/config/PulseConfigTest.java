package io.pulse.common.config;

import static io.pulse.common.config.ConfigKeys.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PulseConfigTest {
    private static final String SECRET_KEY = "c2VjcmV0LWtleS1vZi10aGUtdGVzdC1uYW1lc3BhY2U=";
    private static final String CONNECTION_STRING = "Endpoint=sb://pulse-test.servicebus.windows.net/;"
            + "SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=" + SECRET_KEY;
    private static final String PSEUDONYMISATION_KEY = "a-real-pseudonymisation-key";

    @Test
    void localProfileDefaultsToAnEmbeddedBrokerWithExactlyOnce() {
        PulseConfig c = PulseConfig.load(Map.of(), Map.of(), Map.of());

        assertThat(c.profile()).isEqualTo(Profile.LOCAL);
        assertThat(c.dataDir()).isEqualTo(Path.of(".pulse").toAbsolutePath().normalize());
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().eventHubsConnectionString()).isEmpty();
        assertThat(c.kafka().truststoreLocation()).isEmpty();
        assertThat(c.embedded()).isEqualTo(new PulseConfig.Embedded(9092, 9093, 8081));
        assertThat(c.schemaRegistryUrl()).isEqualTo("http://localhost:8081");
        assertThat(c.streams().guarantee()).isEqualTo(ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(c.streams().commitInterval()).isEqualTo(Duration.ofMillis(200));
        assertThat(c.streams().applicationId()).isEqualTo("pulse-insights");
        assertThat(c.streams().threads()).isEqualTo(1);
        assertThat(c.streams().windowGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.streams().stateDir()).isEqualTo(c.dataDir().resolve("streams"));
        assertThat(c.apiPort()).isEqualTo(7070);
        assertThat(c.lake().dir()).isEqualTo(c.dataDir().resolve("lake"));
        assertThat(c.lake().flushInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.lake().pseudonymisationKey()).isEqualTo(PulseConfig.LOCAL_DEV_PSEUDONYMISATION_KEY);
        assertThat(c.generator().eventsPerSecond()).isEqualTo(40.0);
        assertThat(c.generator().tenants()).containsExactly("contoso", "fabrikam", "northwind");
        assertThat(c.generator().seed()).isEmpty();
    }

    @Test
    void overridesBeatEnvironmentWhichBeatsTheFile() {
        PulseConfig c = PulseConfig.load(
                Map.of(API_PORT, "1111", STREAMS_THREADS, "2", GENERATOR_SEED, "7"),
                Map.of("PULSE_API_PORT", "2222", "PULSE_STREAMS_THREADS", "3"),
                Map.of(API_PORT, "3333"));

        assertThat(c.apiPort()).isEqualTo(3333);
        assertThat(c.streams().threads()).isEqualTo(3);
        assertThat(c.generator().seed()).contains(7L);
    }

    @Test
    void eventHubsProfileDerivesBootstrapFromTheConnectionStringAndRunsAtLeastOnce() {
        PulseConfig c = PulseConfig.load(Map.of(), eventHubsEnv(), Map.of());

        assertThat(c.profile()).isEqualTo(Profile.EVENTHUBS);
        assertThat(c.kafka().bootstrapServers()).isEqualTo("pulse-test.servicebus.windows.net:9093");
        assertThat(c.kafka().eventHubsConnectionString()).get()
                .extracting(EventHubsConnectionString::namespaceHost).isEqualTo("pulse-test.servicebus.windows.net");
        assertThat(c.streams().guarantee()).isEqualTo(ProcessingGuarantee.AT_LEAST_ONCE);
        assertThat(c.streams().commitInterval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(c.generator().eventsPerSecond()).isZero();
        assertThat(c.lake().pseudonymisationKey()).isEqualTo(PSEUDONYMISATION_KEY);
    }

    @Test
    void eventHubsWithEntraIdNeedsNoConnectionStringButTheNamespace() {
        Map<String, String> env = new HashMap<>(eventHubsEnv());
        env.remove(EVENTHUBS_CONNECTION_STRING_ENV);
        env.put("PULSE_KAFKA_AUTH", "entra-id");
        env.put("PULSE_KAFKA_BOOTSTRAP_SERVERS", "pulse-prod.servicebus.windows.net:9093");

        PulseConfig c = PulseConfig.load(Map.of(), env, Map.of());

        assertThat(c.kafka().auth()).isEqualTo(KafkaAuth.ENTRA_ID);
        assertThat(c.kafka().eventHubsConnectionString()).isEmpty();
        assertThat(c.kafka().eventHubsNamespace()).contains("pulse-prod.servicebus.windows.net");
        assertThat(c.describe()).containsEntry(ConfigKeys.KAFKA_AUTH, "entra-id");

        env.remove("PULSE_KAFKA_BOOTSTRAP_SERVERS");
        assertThat(loadFails(Map.of(), env, Map.of()).problems()).singleElement().asString()
                .startsWith("'" + ConfigKeys.KAFKA_BOOTSTRAP_SERVERS + "' is required for profile 'eventhubs' with entra-id");
    }

    @Test
    void kafkaAuthRefusesAmbiguityAndTheLocalProfile() {
        Map<String, String> both = new HashMap<>(eventHubsEnv());
        both.put("PULSE_KAFKA_AUTH", "entra-id");
        both.put("PULSE_KAFKA_BOOTSTRAP_SERVERS", "pulse-prod.servicebus.windows.net:9093");
        assertThat(loadFails(Map.of(), both, Map.of()).problems()).singleElement().asString()
                .contains(EVENTHUBS_CONNECTION_STRING_ENV).contains("is set too");

        assertThat(loadFails(Map.of(), eventHubsEnv(), Map.of(ConfigKeys.KAFKA_AUTH, "sas")).problems()).singleElement().asString()
                .isEqualTo("'" + ConfigKeys.KAFKA_AUTH + "' must be 'connection-string' or 'entra-id', got 'sas'");
        assertThat(loadFails(Map.of(), Map.of(), Map.of(ConfigKeys.KAFKA_AUTH, "entra-id")).problems()).singleElement().asString()
                .startsWith("'" + ConfigKeys.KAFKA_AUTH + "' applies to profile 'eventhubs' only");
        assertThat(PulseConfig.load(Map.of(), eventHubsEnv(), Map.of()).kafka().auth()).isEqualTo(KafkaAuth.CONNECTION_STRING);
    }

    @Test
    void eventHubsProfileRefusesExactlyOnceNamingTheKey() {
        ConfigException e = loadFails(Map.of(), eventHubsEnv(), Map.of(STREAMS_GUARANTEE, "exactly_once_v2"));

        assertThat(e.problems()).singleElement().asString()
                .startsWith("'" + STREAMS_GUARANTEE + "' cannot be exactly_once_v2 on profile 'eventhubs'");
    }

    @Test
    void eventHubsProfileRefusesACommitIntervalUnderOneSecondNamingKeyAndValue() {
        ConfigException e = loadFails(Map.of(), eventHubsEnv(), Map.of(STREAMS_COMMIT_INTERVAL, "500ms"));

        assertThat(e.problems()).singleElement().asString()
                .contains("'" + STREAMS_COMMIT_INTERVAL + "' must be at least 1s").contains("got '500ms'");
    }

    @Test
    void eventHubsProfileNeedsTheConnectionStringAndARealPseudonymisationKey() {
        ConfigException e = loadFails(Map.of(), Map.of("PULSE_PROFILE", "eventhubs"), Map.of());

        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage()).contains(EVENTHUBS_CONNECTION_STRING_ENV).contains(LAKE_PSEUDONYMISATION_KEY)
                .contains("'" + API_AUTH_ISSUER + "' is required").contains("'" + API_AUTH_AUDIENCE + "' is required")
                .contains("'" + API_AUTH_JWKS_URL + "' is required");
    }

    @Test
    void eventHubsProfileAuthenticatesApiCallersWithOidcAndRefusesDevTokens() {
        PulseConfig c = PulseConfig.load(Map.of(), eventHubsEnv(), Map.of());
        assertThat(c.api().authMode()).isEqualTo(PulseConfig.ApiAuthMode.OIDC);
        assertThat(c.api().oidc()).get().extracting(PulseConfig.Oidc::issuer).isEqualTo("https://login.microsoftonline.com/0000-tenant/v2.0");
        assertThat(c.api().algorithms()).containsExactly("RS256", "ES256");

        ConfigException e = loadFails(Map.of(), eventHubsEnv(), Map.of(API_AUTH_MODE, "dev"));
        assertThat(e.problems()).singleElement().asString().startsWith("'" + API_AUTH_MODE + "' cannot be dev on profile 'eventhubs'");
    }

    @Test
    void localProfileUsesDevTokensAndOneStandbyReplica() {
        PulseConfig c = PulseConfig.load(Map.of(), Map.of(), Map.of());
        assertThat(c.api().authMode()).isEqualTo(PulseConfig.ApiAuthMode.DEV);
        assertThat(c.api().oidc()).isEmpty();
        assertThat(c.streams().standbyReplicas()).isEqualTo(1);
    }

    @Test
    void symmetricAndNoneAlgorithmsAreRefusedNamingTheKey() {
        for (String algs : List.of("HS256", "RS256,none")) {
            ConfigException e = loadFails(Map.of(), Map.of(), Map.of(API_AUTH_ALGORITHMS, algs));
            assertThat(e.problems()).singleElement().asString().startsWith("'" + API_AUTH_ALGORITHMS + "'").contains("is not accepted");
        }
    }

    @Test
    void aMalformedConnectionStringIsReportedWithoutEchoingIt() {
        Map<String, String> env = new HashMap<>(eventHubsEnv());
        env.put(EVENTHUBS_CONNECTION_STRING_ENV, "Endpoint=sb://pulse-test.servicebus.windows.net/;SharedAccessKey=" + SECRET_KEY);

        ConfigException e = loadFails(Map.of(), env, Map.of());

        assertThat(e.getMessage()).contains(EVENTHUBS_CONNECTION_STRING_ENV).contains("SharedAccessKeyName")
                .doesNotContain(SECRET_KEY);
    }

    @Test
    void aBadDurationNamesTheKeyAndTheValue() {
        ConfigException e = loadFails(Map.of(), Map.of(), Map.of(LAKE_FLUSH_INTERVAL, "soon"));

        assertThat(e.problems()).singleElement().asString()
                .contains("'" + LAKE_FLUSH_INTERVAL + "'").contains("must be a duration").contains("got 'soon'");
    }

    @Test
    void aNegativeDurationIsRefused() {
        ConfigException e = loadFails(Map.of(), Map.of(), Map.of(WINDOW_GRACE, "-5m"));

        assertThat(e.problems()).singleElement().asString().contains("'" + WINDOW_GRACE + "'").contains("got '-5m'");
    }

    @Test
    void badNumbersAreReportedTogetherInsteadOfFailingOnTheFirst() {
        ConfigException e = loadFails(Map.of(), Map.of("PULSE_API_PORT", "http"),
                Map.of(BROKER_PORT, "70000", STREAMS_THREADS, "many", GENERATOR_RATE, "fast"));

        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage())
                .contains("'" + API_PORT + "' must be a number, got 'http'")
                .contains("'" + BROKER_PORT + "' must be a port from 0 to 65535, got '70000'")
                .contains("'" + STREAMS_THREADS + "' must be a number, got 'many'")
                .contains("'" + GENERATOR_RATE + "' must be a number, got 'fast'");
    }

    @Test
    void anUnknownPulseKeyIsRefusedWithADidYouMean() {
        ConfigException e = loadFails(Map.of("pulse.api.prot", "8080"), Map.of(), Map.of());

        assertThat(e.problems()).singleElement().asString()
                .isEqualTo("unknown key 'pulse.api.prot' in the configuration file (did you mean '" + API_PORT + "'?)");
    }

    @Test
    void anUnknownPulseKeyOnTheCommandLineIsRefusedToo() {
        ConfigException e = loadFails(Map.of(), Map.of(), Map.of("pulse.streams.treads", "2"));

        assertThat(e.getMessage()).contains("unknown key 'pulse.streams.treads' in the command line")
                .contains("did you mean '" + STREAMS_THREADS + "'?");
    }

    @Test
    void keysOutsidePulseAreLeftAlone() {
        PulseConfig c = PulseConfig.load(Map.of("java.home", "/opt/jdk"), Map.of(), Map.of());

        assertThat(c.profile()).isEqualTo(Profile.LOCAL);
    }

    @Test
    void aConnectionStringInAFileIsRefusedWhateverItsKey() {
        for (Map<String, String> file : List.of(
                Map.of(EVENTHUBS_CONNECTION_STRING_ENV, CONNECTION_STRING),
                Map.of("pulse.eventhubs.connection-string", CONNECTION_STRING),
                Map.of("sasl.password", CONNECTION_STRING))) {
            ConfigException e = loadFails(file, eventHubsEnv(), Map.of());

            assertThat(e.problems()).as("file %s", file.keySet())
                    .anySatisfy(p -> assertThat(p).contains("connection string must not be written in a configuration file")
                            .contains(EVENTHUBS_CONNECTION_STRING_ENV));
            assertThat(e.getMessage()).doesNotContain(SECRET_KEY);
        }
    }

    @Test
    void thePseudonymisationKeyInAFileIsRefused() {
        ConfigException e = loadFails(Map.of(LAKE_PSEUDONYMISATION_KEY, PSEUDONYMISATION_KEY), Map.of(), Map.of());

        assertThat(e.problems()).singleElement().asString().contains("is a secret")
                .contains(envName(LAKE_PSEUDONYMISATION_KEY)).doesNotContain(PSEUDONYMISATION_KEY);
    }

    @Test
    void toStringAndDescribeNeverShowSecrets() {
        PulseConfig c = PulseConfig.load(Map.of(), eventHubsEnv(), Map.of(KAFKA_TRUSTSTORE_PASSWORD, "truststore-secret"));

        String described = c.describe().toString();
        assertThat(c.toString()).doesNotContain(SECRET_KEY).doesNotContain(PSEUDONYMISATION_KEY).doesNotContain("truststore-secret");
        assertThat(described).doesNotContain(SECRET_KEY).doesNotContain(PSEUDONYMISATION_KEY).doesNotContain("truststore-secret");
        assertThat(c.describe())
                .containsEntry(LAKE_PSEUDONYMISATION_KEY, "***")
                .containsEntry(KAFKA_TRUSTSTORE_PASSWORD, "***")
                .containsEntry(KAFKA_BOOTSTRAP_SERVERS, "pulse-test.servicebus.windows.net:9093");
        assertThat(c.describe().get(EVENTHUBS_CONNECTION_STRING_ENV))
                .contains("pulse-test.servicebus.windows.net").contains("RootManageSharedAccessKey").contains("SharedAccessKey=***");
    }

    @Test
    void describeListsEveryKeyExceptTheEnvironmentOnlyOnesInCatalogueOrder() {
        PulseConfig c = PulseConfig.load(Map.of(), Map.of(), Map.of());

        assertThat(c.describe().keySet().stream().filter(k -> k.startsWith("pulse.")))
                .containsExactlyElementsOf(DESCRIPTIONS.keySet());
    }

    @Test
    void anUnreadableTrustStoreNamesTheKeyAndThePath() {
        ConfigException e = loadFails(Map.of(), Map.of(), Map.of(KAFKA_TRUSTSTORE_LOCATION, "/nonexistent/truststore.p12"));

        assertThat(e.problems()).singleElement().asString()
                .isEqualTo("'" + KAFKA_TRUSTSTORE_LOCATION + "' must be a readable PKCS12 file, got '/nonexistent/truststore.p12'");
    }

    @Test
    void theKafkaRecordPrintsNeitherTheConnectionStringNorTheTrustStorePassword() {
        PulseConfig.Kafka kafka = new PulseConfig.Kafka("ns:9093", Optional.of(EventHubsConnectionString.parse(CONNECTION_STRING)),
                Optional.empty(), Optional.of("truststore-secret"));

        assertThat(kafka.toString()).doesNotContain(SECRET_KEY).doesNotContain("truststore-secret").contains("ns:9093");
    }

    private static Map<String, String> eventHubsEnv() {
        return Map.of(
                "PULSE_PROFILE", "eventhubs",
                EVENTHUBS_CONNECTION_STRING_ENV, CONNECTION_STRING,
                "PULSE_LAKE_PSEUDONYMISATION_KEY", PSEUDONYMISATION_KEY,
                "PULSE_API_AUTH_ISSUER", "https://login.microsoftonline.com/0000-tenant/v2.0",
                "PULSE_API_AUTH_AUDIENCE", "api://pulse-insights",
                "PULSE_API_AUTH_JWKS_URL", "https://login.microsoftonline.com/0000-tenant/discovery/v2.0/keys");
    }

    private static ConfigException loadFails(Map<String, String> file, Map<String, String> env, Map<String, String> overrides) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> PulseConfig.load(file, env, overrides));
        assertThat(e).as("expected a ConfigException").isNotNull();
        return e;
    }

    @Test
    void passesConnectorKeysThroughToTheirConnectorsAndStillRefusesOtherUnknownKeys() {
        PulseConfig c = PulseConfig.load(Map.of("pulse.ingest.jdbc.pos.table", "sales", "pulse.ingest.http.max-request-bytes", "100"),
                Map.of(), Map.of("pulse.ingest.http.max-request-bytes", "200"));

        assertThat(c.connectorProperties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "pulse.ingest.jdbc.pos.table", "sales", "pulse.ingest.http.max-request-bytes", "200"));
        assertThatThrownBy(() -> PulseConfig.load(Map.of("pulse.ingest.jdbcx.pos.table", "sales"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'pulse.ingest.jdbcx.pos.table'");
    }

    // ADLS Gen2 lake store (pulse.lake.store=adls)

    private static final String STORAGE_KEY = "c3RvcmFnZS1hY2NvdW50LWtleS1vZi10aGUtdGVzdA==";
    private static final String STORAGE_CONNECTION_STRING = "DefaultEndpointsProtocol=https;AccountName=pulselake;AccountKey=" + STORAGE_KEY
            + ";EndpointSuffix=core.windows.net";

    @Test
    void adlsWithTheDefaultCredentialNeedsOnlyTheEndpoint() {
        PulseConfig c = PulseConfig.load(Map.of(LAKE_STORE, "adls", LAKE_ADLS_ENDPOINT, "https://pulselake.dfs.core.windows.net/",
                LAKE_ADLS_DIRECTORY, "/lake/pulse/"), Map.of(), Map.of());

        assertThat(c.lake().adls()).contains(new PulseConfig.Adls("https://pulselake.dfs.core.windows.net", "pulse", "lake/pulse",
                PulseConfig.AdlsAuth.DEFAULT_CREDENTIAL, Optional.empty(), Duration.ofSeconds(30), 8, Duration.ofMillis(500)));
        assertThat(c.describe()).containsEntry(LAKE_STORE, "adls").containsEntry(LAKE_ADLS_AUTH, "default-credential");
    }

    @Test
    void adlsWithAnAccountKeyTakesTheKeyFromTheEnvironmentAndNeverShowsIt() {
        PulseConfig c = PulseConfig.load(
                Map.of(LAKE_STORE, "adls", LAKE_ADLS_ENDPOINT, "https://pulselake.dfs.core.windows.net", LAKE_ADLS_AUTH, "account-key",
                        LAKE_ADLS_FILE_SYSTEM, "retail-lake", LAKE_ADLS_REQUEST_TIMEOUT, "5s", LAKE_ADLS_MAX_RETRIES, "3", LAKE_ADLS_RETRY_BACKOFF, "50ms"),
                Map.of(LAKE_ADLS_ACCOUNT_KEY_ENV, STORAGE_KEY), Map.of());

        PulseConfig.Adls adls = c.lake().adls().orElseThrow();
        assertThat(adls.auth()).isEqualTo(PulseConfig.AdlsAuth.ACCOUNT_KEY);
        assertThat(adls.secret()).contains(STORAGE_KEY);
        assertThat(adls.fileSystem()).isEqualTo("retail-lake");
        assertThat(adls.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(adls.maxRetries()).isEqualTo(3);
        assertThat(adls.retryBackoff()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.toString()).doesNotContain(STORAGE_KEY);
        assertThat(c.describe().toString()).doesNotContain(STORAGE_KEY);
    }

    @Test
    void adlsWithAConnectionStringDerivesTheEndpointFromIt() {
        Map<String, String> adls = Map.of(LAKE_STORE, "adls", LAKE_ADLS_AUTH, "connection-string");

        PulseConfig azure = PulseConfig.load(adls, Map.of(LAKE_ADLS_CONNECTION_STRING_ENV, STORAGE_CONNECTION_STRING), Map.of());
        PulseConfig emulator = PulseConfig.load(adls, Map.of(LAKE_ADLS_CONNECTION_STRING_ENV,
                "DefaultEndpointsProtocol=http;AccountName=devlake;AccountKey=" + STORAGE_KEY + ";BlobEndpoint=http://127.0.0.1:10000/devlake;"), Map.of());
        PulseConfig explicit = PulseConfig.load(adls, Map.of(LAKE_ADLS_CONNECTION_STRING_ENV, STORAGE_CONNECTION_STRING),
                Map.of(LAKE_ADLS_ENDPOINT, "https://lake.example.com"));

        assertThat(azure.lake().adls().orElseThrow().endpoint()).isEqualTo("https://pulselake.dfs.core.windows.net");
        assertThat(azure.lake().adls().orElseThrow().secret()).contains(STORAGE_CONNECTION_STRING);
        assertThat(emulator.lake().adls().orElseThrow().endpoint()).isEqualTo("http://127.0.0.1:10000/devlake");
        assertThat(explicit.lake().adls().orElseThrow().endpoint()).isEqualTo("https://lake.example.com");
        assertThat(azure.describe().toString()).doesNotContain(STORAGE_KEY);
    }

    @Test
    void aMissingAdlsSecretNamesItsEnvironmentVariable() {
        Map<String, String> adls = Map.of(LAKE_STORE, "adls", LAKE_ADLS_ENDPOINT, "https://pulselake.dfs.core.windows.net");

        ConfigException noKey = loadFails(withEntry(adls, LAKE_ADLS_AUTH, "account-key"), Map.of(), Map.of());
        ConfigException noConnectionString = loadFails(withEntry(adls, LAKE_ADLS_AUTH, "connection-string"), Map.of(), Map.of());

        assertThat(noKey.problems()).singleElement().asString().contains("'" + LAKE_ADLS_AUTH + "' account-key").contains(LAKE_ADLS_ACCOUNT_KEY_ENV);
        assertThat(noConnectionString.problems()).singleElement().asString().contains(LAKE_ADLS_CONNECTION_STRING_ENV);
    }

    @Test
    void anAccountKeyInAConfigurationFileIsRefusedPointingToTheLakesVariable() {
        ConfigException e = loadFails(Map.of(LAKE_STORE, "adls", LAKE_ADLS_AUTH, "connection-string",
                "azure.storage.connection-string", STORAGE_CONNECTION_STRING), Map.of(LAKE_ADLS_CONNECTION_STRING_ENV, STORAGE_CONNECTION_STRING), Map.of());

        assertThat(e.problems()).singleElement().asString()
                .contains("must not be written in a configuration file").contains(LAKE_ADLS_CONNECTION_STRING_ENV)
                .doesNotContain(EVENTHUBS_CONNECTION_STRING_ENV).doesNotContain(STORAGE_KEY);
    }

    @Test
    void adlsKeysAreRefusedWhileTheStoreIsLocal() {
        ConfigException e = loadFails(Map.of(LAKE_ADLS_ENDPOINT, "https://pulselake.dfs.core.windows.net", LAKE_ADLS_MAX_RETRIES, "3"),
                Map.of(), Map.of());

        assertThat(e.problems()).hasSize(2).allSatisfy(p -> assertThat(p).contains("'" + LAKE_STORE + "' is local").contains(LAKE_STORE + "=adls"));
        assertThat(e.getMessage()).contains("'" + LAKE_ADLS_ENDPOINT + "' is set").contains("'" + LAKE_ADLS_MAX_RETRIES + "' is set");
    }

    @Test
    void anUnknownLakeStoreIsReportedOnceNamingTheChoices() {
        ConfigException e = loadFails(Map.of(LAKE_STORE, "s3", LAKE_ADLS_ENDPOINT, "https://pulselake.dfs.core.windows.net"), Map.of(), Map.of());

        assertThat(e.problems()).singleElement().asString().isEqualTo("'" + LAKE_STORE + "' must be local or adls, got 's3'");
    }

    @Test
    void adlsNeedsAnEndpointAndAValidFileSystemName() {
        ConfigException e = loadFails(Map.of(LAKE_STORE, "adls", LAKE_ADLS_FILE_SYSTEM, "Pulse_Lake"), Map.of(), Map.of());

        assertThat(e.problems()).hasSize(2);
        assertThat(e.getMessage()).contains("'" + LAKE_ADLS_ENDPOINT + "' is required")
                .contains("'" + LAKE_ADLS_FILE_SYSTEM + "' must be an ADLS file system name").contains("got 'Pulse_Lake'");
    }

    @Test
    void advertisedEndpointDefaultsToLocalhostAtTheApiPort() {
        PulseConfig c = PulseConfig.load(Map.of(API_PORT, "7171"), Map.of(), Map.of());

        assertThat(c.advertisedEndpoint()).isEmpty();
        assertThat(c.advertisedEndpoint(7171)).isEqualTo("localhost:7171");
        assertThat(c.describe()).containsEntry(API_ADVERTISED_ENDPOINT, "localhost:7171");
    }

    @Test
    void advertisedEndpointDefaultUsesThePortTheApiWasBoundToWhenThePortIsZero() {
        PulseConfig c = PulseConfig.load(Map.of(), Map.of(), Map.of(API_PORT, "0"));

        assertThat(c.advertisedEndpoint(40123)).isEqualTo("localhost:40123");
    }

    @Test
    void advertisedEndpointFromTheEnvironmentIsWhatOtherInstancesAreTold() {
        String podAddress = "pulse-insights-1.pulse-insights-headless.pulse.svc.cluster.local:7070";
        PulseConfig c = PulseConfig.load(Map.of(), Map.of("PULSE_API_ADVERTISED_ENDPOINT", podAddress), Map.of());

        assertThat(c.advertisedEndpoint()).contains(podAddress);
        assertThat(c.advertisedEndpoint(50000)).isEqualTo(podAddress);
        assertThat(c.describe()).containsEntry(API_ADVERTISED_ENDPOINT, podAddress);
    }

    @Test
    void advertisedEndpointAcceptsAnIpAddressWithPort() {
        assertThat(PulseConfig.load(Map.of(API_ADVERTISED_ENDPOINT, "10.244.1.7:7070"), Map.of(), Map.of()).advertisedEndpoint())
                .contains("10.244.1.7:7070");
        assertThat(PulseConfig.load(Map.of(API_ADVERTISED_ENDPOINT, "[fd00::7]:7070"), Map.of(), Map.of()).advertisedEndpoint())
                .contains("[fd00::7]:7070");
    }

    @Test
    void advertisedEndpointWithoutAReachablePortIsRefusedNamingTheKey() {
        for (String bad : List.of("pulse-insights-0", "pulse-insights-0:", "http://pulse-insights-0:7070", "pulse insights:7070",
                "pulse-insights-0:0", "pulse-insights-0:70700", ":7070")) {
            ConfigException e = loadFails(Map.of(API_ADVERTISED_ENDPOINT, bad), Map.of(), Map.of());

            assertThat(e.problems()).as(bad).singleElement().asString()
                    .startsWith("'" + API_ADVERTISED_ENDPOINT + "' must be host:port")
                    .endsWith("got '" + bad + "'");
        }
    }

    private static Map<String, String> withEntry(Map<String, String> map, String key, String value) {
        Map<String, String> copy = new HashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
