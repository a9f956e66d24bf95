package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PollStatementsTest {
    private static final String P = "pulse.ingest.jdbc.pos.";

    private static PollStatements statements(Map<String, String> extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of(P + "url", "jdbc:postgresql://db/pos", P + "incrementing.column", "id",
                P + "map.tenant.value", "contoso", P + "map.event-type.value", "OTHER", P + "map.event-time.column", "sold_at"));
        m.putAll(extra);
        return new PollStatements(JdbcSourceConfig.load("pos", m, Map.of(), Path.of("p")).polling());
    }

    @Test
    void readsIncrementingRowsAfterTheLastIdInIdOrder() {
        PollStatements sql = statements(Map.of(P + "mode", "incrementing", P + "table", "pos.sales"));

        assertThat(sql.incrementingFirst()).isEqualTo("SELECT * FROM pos.sales WHERE id IS NOT NULL ORDER BY id ASC");
        assertThat(sql.incrementingNext()).isEqualTo("SELECT * FROM pos.sales WHERE id > ? ORDER BY id ASC");
    }

    @Test
    void readsTimestampRowsAfterTheLastTimestampAndIdBelowTheDelayedNow() {
        PollStatements sql = statements(Map.of(P + "mode", "timestamp+incrementing", P + "timestamp.column", "updated_at",
                P + "query", "SELECT s.*, c.segment FROM sales s JOIN customers c ON c.id = s.customer"));

        assertThat(sql.timestampNext()).isEqualTo("SELECT * FROM (SELECT s.*, c.segment FROM sales s JOIN customers c ON c.id = s.customer) pulse_rows"
                + " WHERE updated_at < ? AND id IS NOT NULL AND ((updated_at = ? AND id > ?) OR updated_at > ?) ORDER BY updated_at ASC, id ASC");
        assertThat(sql.timestampFirst()).endsWith(" pulse_rows WHERE updated_at < ? AND id IS NOT NULL ORDER BY updated_at ASC, id ASC");
    }
}
