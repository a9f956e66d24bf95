package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineReaderTest {

    @Test
    void splitsOnNewlinesAndCarriageReturnNewlinesWithNumbersAndOffsets() throws Exception {
        byte[] blob = "one\r\ntwo\n\nfour".getBytes(StandardCharsets.UTF_8);

        List<LineReader.Line> lines = readAll(blob, 0, 0);

        assertThat(lines).extracting(LineReaderTest::text).containsExactly("one", "two", "", "four");
        assertThat(lines).extracting(LineReader.Line::number).containsExactly(1L, 2L, 3L, 4L);
        assertThat(lines).extracting(LineReader.Line::nextOffset).containsExactly(5L, 9L, 10L, 14L);
    }

    @Test
    void aFinalNewlineEndsTheLastLineWithoutAddingOne() throws Exception {
        assertThat(readAll("a\nb\n".getBytes(StandardCharsets.UTF_8), 0, 0)).extracting(LineReaderTest::text).containsExactly("a", "b");
        assertThat(readAll(new byte[0], 0, 0)).isEmpty();
    }

    @Test
    void resumingAtAnOffsetGivesTheSameLinesAsReadingFromTheStart() throws Exception {
        byte[] blob = "first\nsecond\nthird\nfourth\n".getBytes(StandardCharsets.UTF_8);
        List<LineReader.Line> all = readAll(blob, 0, 0);
        LineReader.Line second = all.get(1);

        List<LineReader.Line> resumed = readAll(Arrays.copyOfRange(blob, (int) second.nextOffset(), blob.length),
                second.nextOffset(), second.number());

        assertThat(resumed).extracting(LineReaderTest::text).containsExactly("third", "fourth");
        assertThat(resumed).extracting(LineReader.Line::number).containsExactly(3L, 4L);
        assertThat(resumed).extracting(LineReader.Line::nextOffset).containsExactly(all.get(2).nextOffset(), all.get(3).nextOffset());
    }

    @Test
    void skipsAByteOrderMarkAtTheStartOfTheBlobOnly() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] blob = concat(bom, "tenant,event_type\nx\n".getBytes(StandardCharsets.UTF_8));

        List<LineReader.Line> lines = readAll(blob, 0, 0);

        assertThat(lines).extracting(LineReaderTest::text).containsExactly("tenant,event_type", "x");
        assertThat(lines.get(0).nextOffset()).isEqualTo(3 + "tenant,event_type\n".length());
    }

    @Test
    void cutsALineLongerThanTheLimitAndKeepsReadingAfterIt() throws Exception {
        byte[] blob = ("x".repeat(5000) + "\nnext\n").getBytes(StandardCharsets.UTF_8);

        List<LineReader.Line> lines = readAll(blob, 0, 0, 1024);

        assertThat(lines.get(0).cut()).isTrue();
        assertThat(lines.get(0).bytes()).hasSize(1024);
        assertThat(lines.get(0).length()).isEqualTo(5000);
        assertThat(lines.get(0).nextOffset()).isEqualTo(5001);
        assertThat(text(lines.get(1))).isEqualTo("next");
    }

    @Test
    void readsLinesAcrossBufferBoundariesFromAStreamThatReturnsFewBytesAtATime() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 5000; i++) {
            b.append("line-").append(i).append('\n');
        }
        byte[] blob = b.toString().getBytes(StandardCharsets.UTF_8);
        InputStream trickle = new ByteArrayInputStream(blob) {
            @Override
            public synchronized int read(byte[] buffer, int off, int len) {
                return super.read(buffer, off, Math.min(len, 7));
            }
        };

        LineReader reader = new LineReader(trickle, 0, 0, 1024);
        List<String> lines = new ArrayList<>();
        for (LineReader.Line l; (l = reader.next()) != null; ) {
            lines.add(text(l));
        }

        assertThat(lines).hasSize(5000).startsWith("line-1").endsWith("line-5000");
    }

    @Test
    void refusesBytesThatAreNotUtf8RatherThanReplacingThem() throws Exception {
        List<LineReader.Line> lines = readAll(new byte[] {'a', (byte) 0xC3, '\n'}, 0, 0);

        assertThatThrownBy(() -> lines.get(0).text()).isInstanceOf(CharacterCodingException.class);
    }

    @Test
    void aLineOfSpacesIsBlank() throws Exception {
        assertThat(readAll(" \t \nx\n".getBytes(StandardCharsets.UTF_8), 0, 0)).extracting(LineReader.Line::isBlank).containsExactly(true, false);
    }

    private static List<LineReader.Line> readAll(byte[] bytes, long offset, long linesBefore) throws IOException {
        return readAll(bytes, offset, linesBefore, 1_000_000);
    }

    private static List<LineReader.Line> readAll(byte[] bytes, long offset, long linesBefore, int max) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(bytes), offset, linesBefore, max);
        List<LineReader.Line> lines = new ArrayList<>();
        for (LineReader.Line l; (l = reader.next()) != null; ) {
            lines.add(l);
        }
        return lines;
    }

    private static String text(LineReader.Line line) {
        return new String(line.bytes(), StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
