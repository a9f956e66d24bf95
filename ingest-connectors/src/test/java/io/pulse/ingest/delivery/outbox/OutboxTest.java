package io.pulse.ingest.delivery.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    private static final long MB = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void readsBackAppendedRecordsInOrderWithTheirSource() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(List.of(record("http/web", "a"), record("http/web", "b")));
            outbox.append(List.of(record("jdbc/pos", "c")));

            List<OutboxEntry> read = outbox.read(outbox.committed(), 100, MB);

            assertThat(read).extracting(e -> e.record().source() + ":" + text(e)).containsExactly("http/web:a", "http/web:b", "jdbc/pos:c");
            assertThat(read.get(0).record().enqueuedAt()).isEqualTo(Instant.parse("2026-11-21T10:00:00Z"));
            assertThat(outbox.events()).isEqualTo(3);
            assertThat(outbox.isEmpty()).isFalse();
        }
    }

    @Test
    void commitMovesThePositionAndReadingContinuesAfterIt() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(payloads("a", "b", "c"));
            List<OutboxEntry> read = outbox.read(outbox.committed(), 2, MB);

            outbox.commit(read);

            assertThat(outbox.read(outbox.committed(), 100, MB)).extracting(OutboxTest::text).containsExactly("c");
            assertThat(outbox.events()).isEqualTo(1);
            outbox.commit(outbox.read(outbox.committed(), 100, MB));
            assertThat(outbox.isEmpty()).isTrue();
            assertThat(outbox.events()).isZero();
            assertThat(outbox.bytes()).isZero();
        }
    }

    @Test
    void keepsUndeliveredRecordsAndThePositionAcrossARestart() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(payloads("a", "b", "c"));
            outbox.commit(outbox.read(outbox.committed(), 1, MB));
        }

        try (Outbox reopened = Outbox.open(dir, MB)) {
            assertThat(reopened.events()).isEqualTo(2);
            assertThat(reopened.read(reopened.committed(), 100, MB)).extracting(OutboxTest::text).containsExactly("b", "c");
            reopened.append(payloads("d"));
            assertThat(reopened.read(reopened.committed(), 100, MB)).extracting(OutboxTest::text).containsExactly("b", "c", "d");
        }
    }

    @Test
    void refusesAnAppendThatWouldPassTheSizeLimitAndWritesNothingOfIt() throws IOException {
        try (Outbox outbox = Outbox.open(dir, 1000)) {
            outbox.append(List.of(new OutboxRecord("http/web", Instant.EPOCH, new byte[600])));

            assertThatThrownBy(() -> outbox.append(List.of(new OutboxRecord("http/web", Instant.EPOCH, new byte[100]),
                    new OutboxRecord("http/web", Instant.EPOCH, new byte[300]))))
                    .isInstanceOf(OutboxFullException.class)
                    .hasMessageContaining("is full").hasMessageContaining("limit of 1000 bytes");
            assertThat(outbox.events()).isEqualTo(1);

            outbox.commit(outbox.read(outbox.committed(), 10, MB));
            outbox.append(List.of(new OutboxRecord("http/web", Instant.EPOCH, new byte[600])));
            assertThat(outbox.events()).isEqualTo(1);
        }
    }

    @Test
    void rollsOverToNewSegmentsAndDeletesDeliveredOnes() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB, 200)) {
            for (int i = 0; i < 10; i++) {
                outbox.append(payloads("record-" + i + "-" + "x".repeat(60)));
            }
            assertThat(segments()).hasSizeGreaterThan(3);

            List<OutboxEntry> all = outbox.read(outbox.committed(), 100, MB);
            assertThat(all).hasSize(10);
            assertThat(all).extracting(OutboxTest::text).allMatch(t -> t.startsWith("record-"));
            outbox.commit(all);

            assertThat(segments()).hasSize(1);
            assertThat(outbox.isEmpty()).isTrue();
        }
        try (Outbox reopened = Outbox.open(dir, MB, 200)) {
            assertThat(reopened.events()).isZero();
        }
    }

    @Test
    void truncatesARecordCutShortByACrashAtTheEndOfTheNewestSegment() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(payloads("a", "b"));
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last record lost its tail: it was never acknowledged
        }

        try (Outbox reopened = Outbox.open(dir, MB)) {
            assertThat(reopened.read(reopened.committed(), 100, MB)).extracting(OutboxTest::text).containsExactly("a");
            reopened.append(payloads("c"));
            assertThat(reopened.read(reopened.committed(), 100, MB)).extracting(OutboxTest::text).containsExactly("a", "c");
        }
    }

    @Test
    void refusesToOpenWhenARecordDoesNotMatchItsChecksumNamingFileAndOffset() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(payloads("first", "second"));
        }
        Path segment = segments().get(0);
        long size = Files.size(segment);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("X".getBytes(StandardCharsets.US_ASCII)), size - 1); // a flipped byte in the tail record
        }

        assertThatThrownBy(() -> Outbox.open(dir, MB))
                .isInstanceOf(OutboxCorruptedException.class)
                .hasMessageContaining(segment.getFileName().toString())
                .hasMessageContaining("checksum does not match")
                .hasMessageContaining("at byte " + (Outbox.HEADER + Outbox.RECORD_HEADER + 11 + "http/web".length() + "first".length()));
    }

    @Test
    void refusesToOpenWhenTheFileIsCutShortBeforeMoreData() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB, 100)) {
            outbox.append(payloads("a".repeat(100)));
            outbox.append(payloads("b"));
        }
        Path older = segments().get(0);
        try (FileChannel ch = FileChannel.open(older, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(older) - 5);
        }

        assertThatThrownBy(() -> Outbox.open(dir, MB, 100))
                .isInstanceOf(OutboxCorruptedException.class)
                .hasMessageContaining(older.getFileName().toString());
    }

    @Test
    void refusesASecondOpenOfTheSameDirectory() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            assertThatThrownBy(() -> Outbox.open(dir, MB)).isInstanceOf(IOException.class)
                    .hasMessageContaining("already open").hasMessageContaining(outbox.dir().toString());
        }
        Outbox.open(dir, MB).close();
    }

    @Test
    void readSeesOnlySyncedRecords() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.write(payloads("a"));
            assertThat(outbox.read(outbox.committed(), 10, MB)).isEmpty();
            assertThat(outbox.events()).isZero();

            outbox.sync();

            assertThat(outbox.read(outbox.committed(), 10, MB)).extracting(OutboxTest::text).containsExactly("a");
        }
    }

    @Test
    void commitMustContinueAtThePosition() throws IOException {
        try (Outbox outbox = Outbox.open(dir, MB)) {
            outbox.append(payloads("a", "b"));
            List<OutboxEntry> read = outbox.read(outbox.committed(), 10, MB);

            assertThatThrownBy(() -> outbox.commit(read.subList(1, 2))).isInstanceOf(IllegalStateException.class);
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
        }
    }

    private static OutboxRecord record(String source, String text) {
        return new OutboxRecord(source, Instant.parse("2026-11-21T10:00:00Z"), text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<OutboxRecord> payloads(String... texts) {
        return IntStream.range(0, texts.length).mapToObj(i -> record("http/web", texts[i])).toList();
    }

    private static String text(OutboxEntry e) {
        return new String(e.record().payload(), StandardCharsets.UTF_8);
    }
}
