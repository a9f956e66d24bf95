package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.common.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlobDropConfigTest {
    private static final String CS = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
            + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";
    private static final Path DATA = Path.of("/var/pulse");

    @Test
    void loadsDefaultsWithAConnectionStringFromTheEnvironment() {
        BlobDropConfig c = BlobDropConfig.load(Map.of(), Map.of("PULSE_INGEST_BLOB_CONTAINER", "drops",
                BlobDropConfig.CONNECTION_STRING_ENV, CS), Map.of(), DATA);

        assertThat(c.container()).isEqualTo("drops");
        assertThat(c.connection()).isEqualTo(new BlobDropConfig.ConnectionString(CS));
        assertThat(c.connection().toString()).doesNotContain("AccountKey");
        assertThat(c.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sourceId().value()).isEqualTo("blob/drops");
        assertThat(c.sourceSystem()).isEqualTo("blob/drops");
        assertThat(c.ledgerDir()).isEqualTo(Path.of("/var/pulse/ingest/blob/drops"));
        assertThat(c.formatOf("2026/11/21/pos.CSV")).contains(BlobFormat.CSV);
        assertThat(c.formatOf("web.jsonl")).contains(BlobFormat.JSON_LINES);
        assertThat(c.formatOf("readme.txt")).isEmpty();
        assertThat(c.formatOf(".csv")).isEmpty();
    }

    @Test
    void overridesBeatTheEnvironmentWhichBeatsTheFile() {
        BlobDropConfig c = BlobDropConfig.load(
                Map.of(BlobDropConfig.CONTAINER, "from-file", BlobDropConfig.PREFIX, "file/", BlobDropConfig.BATCH_SIZE, "7"),
                Map.of("PULSE_INGEST_BLOB_CONTAINER", "from-env", "PULSE_INGEST_BLOB_PREFIX", "env/", BlobDropConfig.CONNECTION_STRING_ENV, CS),
                Map.of(BlobDropConfig.CONTAINER, "from-cli"), DATA);

        assertThat(c.container()).isEqualTo("from-cli");
        assertThat(c.prefix()).isEqualTo("env/");
        assertThat(c.batchSize()).isEqualTo(7);
    }

    @Test
    void anAccountNameTakesItsKeyFromTheEnvironment() {
        BlobDropConfig c = BlobDropConfig.load(Map.of(BlobDropConfig.CONTAINER, "drops", BlobDropConfig.ACCOUNT_NAME, "retaildrops"),
                Map.of(BlobDropConfig.ACCOUNT_KEY_ENV, "c2VjcmV0"), Map.of(), DATA);

        assertThat(c.connection()).isEqualTo(new BlobDropConfig.AccountKey("https://retaildrops.blob.core.windows.net", "retaildrops", "c2VjcmV0"));
        assertThat(c.connection().toString()).doesNotContain("c2VjcmV0");
    }

    @Test
    void reportsEveryProblemNamingItsKey() {
        assertThatThrownBy(() -> BlobDropConfig.load(Map.of(BlobDropConfig.CONTAINER, "Drops_2026", BlobDropConfig.POLL_INTERVAL, "soon",
                BlobDropConfig.BATCH_SIZE, "0", BlobDropConfig.FORMATS, ".csv=excel"), Map.of(), Map.of(), DATA))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).contains(BlobDropConfig.CONNECTION_STRING_ENV).contains(BlobDropConfig.ACCOUNT_NAME),
                        p -> assertThat(p).contains("'" + BlobDropConfig.POLL_INTERVAL + "'").contains("soon"),
                        p -> assertThat(p).contains("'" + BlobDropConfig.FORMATS + "'").contains("excel")));
    }

    @Test
    void typedValuesAreCheckedWhenBuilt() {
        assertThatThrownBy(() -> BlobDropConfig.builder(new BlobDropConfig.ConnectionString(CS), "Drops_2026", Path.of("ledger"))
                .batchSize(0).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).contains("'" + BlobDropConfig.CONTAINER + "'").contains("Drops_2026"),
                        p -> assertThat(p).contains("'" + BlobDropConfig.BATCH_SIZE + "'"),
                        p -> assertThat(p).contains("'" + BlobDropConfig.SOURCE_NAME + "'")));
    }

    @Test
    void refusesSecretsInTheFileAndContradictoryConnections() {
        assertThatThrownBy(() -> BlobDropConfig.load(Map.of(BlobDropConfig.CONTAINER, "drops", "pulse.ingest.blob.connection-string", CS),
                Map.of(BlobDropConfig.CONNECTION_STRING_ENV, CS), Map.of(), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must not be written in a configuration file")
                .hasMessageNotContaining("a2V5");
        assertThatThrownBy(() -> BlobDropConfig.load(Map.of(BlobDropConfig.CONTAINER, "drops", BlobDropConfig.ACCOUNT_NAME, "retaildrops"),
                Map.of(BlobDropConfig.CONNECTION_STRING_ENV, CS), Map.of(), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining("contradict");
        assertThatThrownBy(() -> BlobDropConfig.load(Map.of(BlobDropConfig.CONTAINER, "drops"),
                Map.of(BlobDropConfig.CONNECTION_STRING_ENV, "not a connection string"), Map.of(), DATA))
                .isInstanceOf(ConfigException.class).hasMessageContaining(BlobDropConfig.CONNECTION_STRING_ENV + " is not a valid")
                .hasMessageNotContaining("not a connection string");
    }

    @Test
    void isConfiguredWhenTheContainerIsSet() {
        assertThat(BlobDropConfig.isConfigured(Map.of(), Map.of("PULSE_INGEST_BLOB_CONTAINER", "drops"), Map.of())).isTrue();
        assertThat(BlobDropConfig.isConfigured(Map.of(), Map.of(), Map.of())).isFalse();
    }
}
