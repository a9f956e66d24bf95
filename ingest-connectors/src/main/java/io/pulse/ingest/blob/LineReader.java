package io.pulse.ingest.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a blob's bytes into lines ({@code \n} or {@code \r\n}), numbering them and tracking the byte offset
 * after each, so that a read can resume right after any line. Holds at most {@code maxLineBytes} of a line:
 * the rest of a longer one is skipped, and the line says it was cut. A UTF-8 byte order mark at offset 0 is
 * not part of the first line. Not thread safe.
 */
final class LineReader {
    private static final int BUFFER = 64 * 1024;

    /**
     * One line, without its terminator.
     *
     * @param number     1 for the blob's first line
     * @param bytes      the line's bytes, at most the reader's limit
     * @param length     the line's real length in bytes (more than {@code bytes.length} when cut)
     * @param nextOffset the byte offset in the blob where the next line starts
     */
    record Line(long number, byte[] bytes, long length, long nextOffset) {
        boolean cut() {
            return length > bytes.length;
        }

        boolean isBlank() {
            for (byte b : bytes) {
                if (b != ' ' && b != '\t') {
                    return false;
                }
            }
            return !cut();
        }

        /** The line as text; fails on bytes that are not UTF-8, rather than replacing them. */
        String text() throws CharacterCodingException {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final byte[] buffer = new byte[BUFFER];
    private int position;
    private int limit;
    private long offset;
    private long lineNumber;
    private boolean atStartOfBlob;
    private boolean ended;

    /**
     * @param in          the blob's content from {@code startOffset} on
     * @param startOffset where {@code in} starts in the blob: 0, or a {@link Line#nextOffset()} of an earlier read
     * @param linesBefore how many lines the blob has before {@code startOffset}
     */
    LineReader(InputStream in, long startOffset, long linesBefore, int maxLineBytes) {
        this.in = in;
        this.offset = startOffset;
        this.lineNumber = linesBefore;
        this.maxLineBytes = maxLineBytes;
        this.atStartOfBlob = startOffset == 0;
    }

    /** The next line, or null at the end of the blob. */
    Line next() throws IOException {
        if (atStartOfBlob) {
            atStartOfBlob = false;
            skipByteOrderMark();
        }
        byte[] line = new byte[Math.min(256, maxLineBytes)];
        int kept = 0;
        long length = 0;
        while (true) {
            if (position == limit && !fill()) {
                if (length == 0) {
                    return null;
                }
                return line(line, kept, length, kept > 0 && line[kept - 1] == '\r' && length == kept);
            }
            byte b = buffer[position++];
            offset++;
            if (b == '\n') {
                return line(line, kept, length, kept > 0 && line[kept - 1] == '\r' && length == kept);
            }
            length++;
            if (kept < maxLineBytes) {
                if (kept == line.length) {
                    line = Arrays.copyOf(line, Math.min(maxLineBytes, line.length * 2));
                }
                line[kept++] = b;
            }
        }
    }

    private Line line(byte[] line, int kept, long length, boolean dropCarriageReturn) {
        lineNumber++;
        int n = dropCarriageReturn ? kept - 1 : kept;
        long realLength = dropCarriageReturn ? length - 1 : length;
        return new Line(lineNumber, Arrays.copyOf(line, n), realLength, offset);
    }

    private void skipByteOrderMark() throws IOException {
        while (limit - position < 3 && !ended) {
            if (position > 0) {
                System.arraycopy(buffer, position, buffer, 0, limit - position);
                limit -= position;
                position = 0;
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                ended = true;
            } else {
                limit += n;
            }
        }
        if (limit - position >= 3 && (buffer[position] & 0xFF) == 0xEF && (buffer[position + 1] & 0xFF) == 0xBB
                && (buffer[position + 2] & 0xFF) == 0xBF) {
            position += 3;
            offset += 3;
        }
    }

    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        int n;
        do {
            n = in.read(buffer, 0, buffer.length);
        } while (n == 0);
        if (n < 0) {
            ended = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
