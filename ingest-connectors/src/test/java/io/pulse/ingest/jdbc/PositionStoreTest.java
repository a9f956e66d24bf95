package io.pulse.ingest.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PositionStoreTest {
    private static final String SETUP = "timestamp+incrementing|pos.sales|id|updated_at";

    @TempDir
    Path dir;

    @Test
    void startsFromTheBeginningWithoutAFile() throws Exception {
        assertThat(new PositionStore(dir.resolve("pos.position"), SETUP).load()).isEqualTo(SourcePosition.START);
    }

    @Test
    void keepsIdAndTimestampToTheMicrosecondAcrossInstances() throws Exception {
        Path file = dir.resolve("positions").resolve("pos.position");
        SourcePosition position = SourcePosition.of(9_007_199_254_740_993L, Instant.parse("2026-11-21T10:15:31.000501Z"));

        new PositionStore(file, SETUP).save(position);

        assertThat(new PositionStore(file, SETUP).load()).isEqualTo(position);
        assertThat(Files.list(file.getParent())).as("no temporary file left behind").containsExactly(file);
    }

    @Test
    void replacesTheOldPosition() throws Exception {
        PositionStore store = new PositionStore(dir.resolve("pos.position"), "incrementing|sales|id|");
        store.save(SourcePosition.of(10));
        store.save(SourcePosition.of(25));

        assertThat(store.load()).isEqualTo(SourcePosition.of(25));
    }

    @Test
    void refusesAPositionWrittenForAnotherTable() throws Exception {
        Path file = dir.resolve("pos.position");
        new PositionStore(file, SETUP).save(SourcePosition.of(10, Instant.parse("2026-11-21T10:00:00Z")));

        assertThatThrownBy(() -> new PositionStore(file, "timestamp+incrementing|pos.returns|id|updated_at").load())
                .isInstanceOf(JdbcSourceException.class)
                .hasMessageContaining("was written for another setup (timestamp+incrementing|pos.sales|id|updated_at)")
                .hasMessageContaining("delete the file")
                .satisfies(e -> assertThat(((JdbcSourceException) e).isRetriable()).isFalse());
    }

    @Test
    void refusesACorruptFile() throws Exception {
        Path file = dir.resolve("pos.position");
        Files.writeString(file, "setup=" + SETUP.replace(":", "\\:") + "\nlast-id=forty-two\n");

        assertThatThrownBy(() -> new PositionStore(file, SETUP).load()).isInstanceOf(JdbcSourceException.class).hasMessageContaining("is corrupt");
    }
}
