package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobLedgerTest {
    private static final Instant T = Instant.parse("2026-11-21T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void remembersProgressAndCompletionAcrossAReopen() {
        try (BlobLedger ledger = BlobLedger.open(dir)) {
            ledger.record(new BlobLedger.Entry("in/a.jsonl", "\"e1\"", BlobLedger.State.DONE, 10, 400, 9, 1, T));
            ledger.record(new BlobLedger.Entry("in/b.csv", "\"e2\"", BlobLedger.State.IN_PROGRESS, 6, 250, 5, 0, T));
        }

        try (BlobLedger reopened = BlobLedger.open(dir)) {
            assertThat(reopened.isDone("in/a.jsonl", "\"e1\"")).isTrue();
            assertThat(reopened.isDone("in/b.csv", "\"e2\"")).isFalse();
            assertThat(reopened.startOf("in/b.csv", "\"e2\"", T)).extracting(BlobLedger.Entry::lines, BlobLedger.Entry::offset)
                    .containsExactly(6L, 250L);
        }
    }

    @Test
    void aNewEtagStartsFromTheBeginningAndIsNotDone() {
        try (BlobLedger ledger = BlobLedger.open(dir)) {
            ledger.record(new BlobLedger.Entry("in/a.jsonl", "\"e1\"", BlobLedger.State.DONE, 10, 400, 10, 0, T));

            assertThat(ledger.isDone("in/a.jsonl", "\"e2\"")).isFalse();
            assertThat(ledger.startOf("in/a.jsonl", "\"e2\"", T)).extracting(BlobLedger.Entry::lines, BlobLedger.Entry::offset,
                    BlobLedger.Entry::state).containsExactly(0L, 0L, BlobLedger.State.IN_PROGRESS);
        }
    }

    @Test
    void aWriteInterruptedBeforeItsRenameLeavesTheOldEntry() throws Exception {
        try (BlobLedger ledger = BlobLedger.open(dir)) {
            ledger.record(new BlobLedger.Entry("in/a.jsonl", "\"e1\"", BlobLedger.State.IN_PROGRESS, 3, 90, 3, 0, T));
        }
        Path temp = dir.resolve(BlobLedger.fileName("in/a.jsonl") + ".tmp");
        Files.writeString(temp, "{\"blob\":\"in/a.jso");

        try (BlobLedger reopened = BlobLedger.open(dir)) {
            assertThat(reopened.entry("in/a.jsonl")).get().extracting(BlobLedger.Entry::lines).isEqualTo(3L);
            assertThat(temp).doesNotExist();
        }
    }

    @Test
    void forgetsOnlyFinishedBlobsThatLeftTheContainer() {
        try (BlobLedger ledger = BlobLedger.open(dir)) {
            ledger.record(new BlobLedger.Entry("gone-done", "\"1\"", BlobLedger.State.DONE, 1, 1, 1, 0, T));
            ledger.record(new BlobLedger.Entry("gone-unfinished", "\"1\"", BlobLedger.State.IN_PROGRESS, 1, 1, 1, 0, T));
            ledger.record(new BlobLedger.Entry("still-there", "\"1\"", BlobLedger.State.DONE, 1, 1, 1, 0, T));

            assertThat(ledger.forgetDoneExcept(Set.of("still-there"))).isEqualTo(1);
            assertThat(ledger.entry("gone-done")).isEmpty();
            assertThat(ledger.entry("gone-unfinished")).isPresent();
        }
        try (BlobLedger reopened = BlobLedger.open(dir)) {
            assertThat(reopened.size()).isEqualTo(2);
        }
    }

    @Test
    void refusesASecondSourceOnTheSameDirectory() {
        BlobLedger first = BlobLedger.open(dir);
        assertThatThrownBy(() -> BlobLedger.open(dir)).isInstanceOf(IllegalStateException.class).hasMessageContaining("in use");
        first.close();
        BlobLedger.open(dir).close(); // released on close
    }

    @Test
    void anUnreadableEntryStopsTheOpenNamingTheFile() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(BlobLedger.fileName("x")), "not json");

        assertThatThrownBy(() -> BlobLedger.open(dir)).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining(BlobLedger.fileName("x")).hasMessageContaining("move it away");
    }
}
