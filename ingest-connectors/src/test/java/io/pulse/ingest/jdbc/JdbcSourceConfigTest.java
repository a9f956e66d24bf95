package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.avro.Channel;
import io.pulse.avro.EventType;
import io.pulse.common.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JdbcSourceConfigTest {
    private static final Path POSITIONS = Path.of("/var/pulse/jdbc-positions");
    private static final String P = "pulse.ingest.jdbc.pos.";

    private static Map<String, String> posSales() {
        Map<String, String> m = new HashMap<>();
        m.put(P + "url", "jdbc:postgresql://pos-db:5432/pos");
        m.put(P + "user", "pulse_reader");
        m.put(P + "table", "pos.sales");
        m.put(P + "mode", "timestamp+incrementing");
        m.put(P + "incrementing.column", "id");
        m.put(P + "timestamp.column", "updated_at");
        m.put(P + "map.tenant.value", "contoso");
        m.put(P + "map.event-type.column", "kind");
        m.put(P + "map.event-type.values.sale", "PURCHASE");
        m.put(P + "map.event-type.values.Visit", "other");
        m.put(P + "map.channel.value", "STORE");
        m.put(P + "map.store-id.column", "store");
        m.put(P + "map.order-id.column", "receipt_no");
        m.put(P + "map.total.column", "total");
        m.put(P + "map.currency.column", "currency");
        m.put(P + "map.product-id.column", "sku");
        return m;
    }

    private static ConfigException problems(Map<String, String> file, Map<String, String> env) {
        try {
            JdbcSourceConfig.load("pos", file, env, POSITIONS);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected a ConfigException");
    }

    @Test
    void resolvesATimestampIncrementingSourceWithDefaults() {
        JdbcSourceConfig c = JdbcSourceConfig.load("pos", posSales(), Map.of(JdbcSourceKeys.passwordEnv("pos"), "s3cret"), POSITIONS);

        assertThat(c.sourceId().value()).isEqualTo("jdbc/pos");
        assertThat(c.connection().password()).contains("s3cret");
        assertThat(c.polling().mode()).isEqualTo(JdbcMode.TIMESTAMP_INCREMENTING);
        assertThat(c.polling().timestampDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.polling().timezone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.polling().batchSize()).isEqualTo(500);
        assertThat(c.retry().maxRetries()).isEqualTo(-1);
        assertThat(c.positionFile()).isEqualTo(POSITIONS.resolve("pos.position"));
        assertThat(c.sourceSystem()).isEqualTo("pos");
        assertThat(c.mapping().eventTimeColumn()).as("defaults to the timestamp column").isEqualTo("updated_at");
        assertThat(c.mapping().eventTypeValues()).containsEntry("sale", EventType.PURCHASE).containsEntry("visit", EventType.OTHER);
        assertThat(c.mapping().channel().value()).contains(Channel.STORE.name());
    }

    @Test
    void neverShowsThePassword() {
        JdbcSourceConfig c = JdbcSourceConfig.load("pos", posSales(), Map.of("PULSE_INGEST_JDBC_POS_PASSWORD", "s3cret"), POSITIONS);

        assertThat(c.toString()).doesNotContain("s3cret").contains("password=***");
    }

    @Test
    void refusesAPasswordInTheFileNamingTheEnvironmentVariable() {
        Map<String, String> file = posSales();
        file.put(P + "password", "s3cret");
        file.put(P + "url", "jdbc:postgresql://pos-db/pos?password=s3cret");

        assertThat(problems(file, Map.of()).problems())
                .anySatisfy(p -> assertThat(p).contains("'pulse.ingest.jdbc.pos.password'").contains("PULSE_INGEST_JDBC_POS_PASSWORD"))
                .anySatisfy(p -> assertThat(p).contains("'pulse.ingest.jdbc.pos.url'").contains("must not carry a password"))
                .allSatisfy(p -> assertThat(p).doesNotContain("s3cret"));
    }

    @Test
    void namesEveryMissingRequiredKey() {
        ConfigException e = problems(Map.of(P + "user", "x"), Map.of());

        assertThat(e.problems()).contains(
                "'pulse.ingest.jdbc.pos.url' is required",
                "exactly one of 'pulse.ingest.jdbc.pos.table' and 'pulse.ingest.jdbc.pos.query' must be set",
                "'pulse.ingest.jdbc.pos.mode' is required",
                "'pulse.ingest.jdbc.pos.incrementing.column' is required",
                "one of 'pulse.ingest.jdbc.pos.map.tenant.column' and 'pulse.ingest.jdbc.pos.map.tenant.value' is required",
                "one of 'pulse.ingest.jdbc.pos.map.event-type.column' and 'pulse.ingest.jdbc.pos.map.event-type.value' is required");
    }

    @Test
    void namesTheKeyOfEveryMalformedValue() {
        Map<String, String> file = posSales();
        file.put(P + "mode", "bulk");
        file.put(P + "batch.size", "0");
        file.put(P + "poll.interval", "soon");
        file.put(P + "map.tenant.value", "Contoso Ltd");
        file.put(P + "map.event-type.values.refund", "RETURN");
        file.put(P + "map.total.column", "total; DROP TABLE sales");
        file.put(P + "timezone", "Mars/Olympus");

        assertThat(problems(file, Map.of()).problems()).containsExactlyInAnyOrder(
                "'pulse.ingest.jdbc.pos.mode' must be one of incrementing, timestamp+incrementing, got 'bulk'",
                "'pulse.ingest.jdbc.pos.batch.size' must be a whole number from 1 to 100000, got '0'",
                "'pulse.ingest.jdbc.pos.poll.interval' must be a duration such as 30s, 5m or PT30S, got 'soon'",
                "'pulse.ingest.jdbc.pos.map.tenant.value' must be a tenant id: lower-case letters, digits and '-', 1 to 63 characters,"
                        + " starting with a letter, got 'Contoso Ltd'",
                "'pulse.ingest.jdbc.pos.map.event-type.values.refund' must be an event type: [PAGE_VIEW, PRODUCT_VIEW, ADD_TO_CART, PURCHASE, OTHER],"
                        + " got 'RETURN'",
                "'pulse.ingest.jdbc.pos.map.total.column' must be a column name (letters, digits, '_', '$'; not quoted), got 'total; DROP TABLE sales'",
                "'pulse.ingest.jdbc.pos.map.total.column' is required: rows can map to event type PURCHASE",
                "'pulse.ingest.jdbc.pos.timezone' must be a time zone id such as UTC or Europe/Berlin, got 'Mars/Olympus'");
    }

    @Test
    void requiresThePurchaseColumnsWhenRowsCanBePurchases() {
        Map<String, String> file = posSales();
        file.remove(P + "map.order-id.column");
        file.remove(P + "map.currency.column");

        assertThat(problems(file, Map.of()).problems()).containsExactlyInAnyOrder(
                "'pulse.ingest.jdbc.pos.map.order-id.column' is required: rows can map to event type PURCHASE",
                "'pulse.ingest.jdbc.pos.map.currency.column' is required: rows can map to event type PURCHASE");
    }

    @Test
    void refusesTimestampSettingsInIncrementingModeAndRequiresThemInTimestampMode() {
        Map<String, String> incrementing = posSales();
        incrementing.put(P + "mode", "incrementing");
        incrementing.put(P + "timestamp.delay", "10s");
        assertThat(problems(incrementing, Map.of()).problems()).containsExactlyInAnyOrder(
                "'pulse.ingest.jdbc.pos.timestamp.column' only applies in mode timestamp+incrementing; remove it or change 'pulse.ingest.jdbc.pos.mode'",
                "'pulse.ingest.jdbc.pos.timestamp.delay' only applies in mode timestamp+incrementing; remove it or change 'pulse.ingest.jdbc.pos.mode'",
                "'pulse.ingest.jdbc.pos.map.event-time.column' is required in mode incrementing");

        Map<String, String> timestamped = posSales();
        timestamped.remove(P + "timestamp.column");
        assertThat(problems(timestamped, Map.of()).problems()).contains(
                "'pulse.ingest.jdbc.pos.timestamp.column' is required in mode timestamp+incrementing");
    }

    @Test
    void refusesUnknownKeysAndBothTableAndQuery() {
        Map<String, String> file = posSales();
        file.put(P + "tabel", "sales");
        file.put(P + "query", "SELECT * FROM pos.sales WHERE kind <> 'void'");

        assertThat(problems(file, Map.of()).problems()).containsExactlyInAnyOrder(
                "unknown key 'pulse.ingest.jdbc.pos.tabel'",
                "exactly one of 'pulse.ingest.jdbc.pos.table' and 'pulse.ingest.jdbc.pos.query' must be set");
    }

    @Test
    void refusesAQueryThatIsNotASingleSelect() {
        Map<String, String> file = posSales();
        file.remove(P + "table");
        file.put(P + "query", "DELETE FROM sales; SELECT 1");

        assertThat(problems(file, Map.of()).problems())
                .containsExactly("'pulse.ingest.jdbc.pos.query' must be a single SELECT statement without ';', got 'DELETE FROM sales; SELECT 1'");
    }

    @Test
    void environmentVariablesOverrideTheFile() {
        JdbcSourceConfig c = JdbcSourceConfig.load("pos", posSales(),
                Map.of("PULSE_INGEST_JDBC_POS_URL", "jdbc:postgresql://replica:5432/pos", "PULSE_INGEST_JDBC_POS_BATCH_SIZE", "50"), POSITIONS);

        assertThat(c.connection().url()).isEqualTo("jdbc:postgresql://replica:5432/pos");
        assertThat(c.polling().batchSize()).isEqualTo(50);
    }

    @Test
    void loadsEverySourceOfTheFileAndReportsAllTheirProblemsAtOnce() {
        Map<String, String> file = posSales();
        file.put("pulse.ingest.jdbc.crm.url", "jdbc:postgresql://crm/crm");
        file.put("pulse.ingest.jdbc.Bad Name.url", "jdbc:postgresql://x/x");

        assertThat(JdbcSourceConfig.sourceNames(file)).containsExactly("Bad Name", "crm", "pos");
        assertThatThrownBy(() -> JdbcSourceConfig.loadAll(file, Map.of(), POSITIONS))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .anySatisfy(p -> assertThat(p).contains("'pulse.ingest.jdbc.Bad Name.*'"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("'pulse.ingest.jdbc.crm.mode' is required"))
                        .noneSatisfy(p -> assertThat(p).contains("jdbc.pos.")));

        assertThat(JdbcSourceConfig.loadAll(posSales(), Map.of(), POSITIONS)).extracting(JdbcSourceConfig::name).isEqualTo(List.of("pos"));
    }
}
