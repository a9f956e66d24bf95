package io.pulse.ingest.delivery.outbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable, append-only, size-bounded queue of records on the local disk: what the delivery path
 * writes when the broker cannot take events, and drains in order once it can.
 *
 * <h2>Layout</h2>
 * <ul>
 *   <li>{@code <dir>/<20-digit number>.seg}: segments, written in order. A segment starts with the 8-byte
 *       magic {@code PLSOUTB1}; then records, each {@code [int length][int CRC32C of the body][body]}, the
 *       body {@code [byte version=1][long enqueued-at epoch millis][short source length][source UTF-8][payload]}.</li>
 *   <li>{@code <dir>/position}: where the first undelivered record starts, replaced atomically (write,
 *       fsync, rename, fsync the directory). Segments wholly before it are deleted.</li>
 *   <li>{@code <dir>/.lock}: held while open, so two processes never share an outbox.</li>
 * </ul>
 *
 * <h2>Guarantees</h2>
 * {@link #append} returns only once the records are fsync'd; {@link #read} sees only fsync'd records.
 * {@link #commit} is durable when it returns. A crash after the broker acknowledged records but before
 * their commit re-sends them after the restart (at least once); the pipeline de-duplicates by event id.
 *
 * <h2>Damage</h2>
 * A record cut short at the very end of the newest segment can only come from a crash during an append
 * that was never acknowledged: it is truncated away with a warning. Anything else that does not read
 * back as written (a checksum mismatch, a cut-short record followed by more data, a bad magic, an
 * unreadable position) throws {@link OutboxCorruptedException} naming the file and offset.
 *
 * <p>Thread safe: every method is synchronized (appends and reads are short; fsync dominates).
 */
public final class Outbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    /** Segments roll over at this size unless configured otherwise. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    static final byte[] MAGIC = "PLSOUTB1".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = MAGIC.length;
    static final int RECORD_HEADER = 8;
    private static final byte VERSION = 1;
    private static final int BODY_FIXED = 1 + 8 + 2;
    /** A length above this cannot have been written by {@link #append} (records are events, not files). */
    static final int MAX_RECORD_BYTES = 64 * 1024 * 1024;
    private static final Pattern SEGMENT_NAME = Pattern.compile("(\\d{20})\\.seg");
    private static final Pattern POSITION_TEXT = Pattern.compile("pulse-outbox-position v1 (\\d+) (\\d+)\\s*");
    private static final String POSITION_FILE = "position";

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final FileChannel lockChannel;
    private final FileLock lock;
    /** Segment number to its size on disk (fsync'd or not), in order. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private FileChannel active;
    private long activeSegment;
    private Position committed;
    private Position synced;
    private long events;
    private long unsyncedEvents;
    private boolean closed;

    private Outbox(Path dir, long maxBytes, long segmentBytes, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** Opens (or creates) the outbox in {@code dir}, holding at most {@code maxBytes} of undelivered records. */
    public static Outbox open(Path dir, long maxBytes) throws IOException {
        return open(dir, maxBytes, DEFAULT_SEGMENT_BYTES);
    }

    /**
     * Opens (or creates) the outbox, checks every undelivered record, and truncates a record cut short by
     * a crash at the end of the newest segment.
     *
     * @throws OutboxCorruptedException if a file is damaged (see the class comment)
     * @throws IOException              if the directory cannot be used, or another process holds it
     */
    public static Outbox open(Path dir, long maxBytes, long segmentBytes) throws IOException {
        Objects.requireNonNull(dir, "dir");
        if (maxBytes <= 0 || segmentBytes <= HEADER) {
            throw new IllegalArgumentException("maxBytes and segmentBytes must be positive, got " + maxBytes + " and " + segmentBytes);
        }
        Path d = dir.toAbsolutePath().normalize();
        Files.createDirectories(d);
        FileChannel lockChannel = FileChannel.open(d.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("the outbox in " + d + " is already open (by this or another process); an outbox has one writer");
        }
        Outbox outbox = new Outbox(d, maxBytes, segmentBytes, lockChannel, lock);
        try {
            outbox.recover();
        } catch (IOException | RuntimeException e) {
            outbox.closeQuietly();
            throw e;
        }
        return outbox;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes the records after all others and fsyncs them; all or none are written.
     *
     * @throws OutboxFullException if they would take the undelivered bytes over the limit
     */
    public synchronized void append(List<OutboxRecord> records) throws IOException {
        write(records);
        sync();
    }

    /**
     * Writes the records after all others without fsync; they are invisible to {@link #read} until
     * {@link #sync()}. Lets a writer group several batches into one fsync. All or none are written.
     *
     * @throws OutboxFullException if they would take the undelivered bytes over the limit
     */
    public synchronized void write(List<OutboxRecord> records) throws IOException {
        requireOpen();
        if (records.isEmpty()) {
            return;
        }
        ByteBuffer buffer = encode(records);
        long waiting = bytes();
        if (waiting + buffer.remaining() > maxBytes) {
            throw new OutboxFullException("the outbox in " + dir + " is full: " + waiting + " bytes wait for delivery, "
                    + buffer.remaining() + " more would pass the limit of " + maxBytes + " bytes");
        }
        long size = segments.get(activeSegment);
        if (size >= segmentBytes) {
            rollSegment();
            size = HEADER;
        }
        try {
            while (buffer.hasRemaining()) {
                active.write(buffer, size + (buffer.position()));
            }
        } catch (IOException e) {
            truncateActive(size, e);
            throw e;
        }
        segments.put(activeSegment, size + buffer.limit());
        unsyncedEvents += records.size();
    }

    /** Makes every written record durable and visible to {@link #read}. */
    public synchronized void sync() throws IOException {
        requireOpen();
        Position end = new Position(activeSegment, segments.get(activeSegment));
        if (end.equals(synced)) {
            return;
        }
        try {
            active.force(false);
        } catch (IOException e) {
            // What reached the disk is unknown: cut back to what was synced so a later sync cannot revive refused
            // records. Everything before the active segment was synced when it rolled over.
            truncateActive(synced.segment() == activeSegment ? synced.offset() : HEADER, e);
            unsyncedEvents = 0;
            throw e;
        }
        synced = end;
        events += unsyncedEvents;
        unsyncedEvents = 0;
    }

    /**
     * Up to {@code maxRecords} fsync'd records from {@code from} on (at least one if any waits, however
     * large); empty when {@code from} is the end.
     */
    public synchronized List<OutboxEntry> read(Position from, int maxRecords, long maxBytes) throws IOException {
        requireOpen();
        Position at = normalize(from);
        List<OutboxEntry> out = new ArrayList<>();
        long bytes = 0;
        while (out.size() < maxRecords && at.compareTo(synced) < 0 && (out.isEmpty() || bytes < maxBytes)) {
            long end = at.segment() == synced.segment() ? synced.offset() : segments.get(at.segment());
            try (FileChannel ch = FileChannel.open(segmentPath(at.segment()), StandardOpenOption.READ)) {
                long offset = at.offset();
                while (offset < end && out.size() < maxRecords && (out.isEmpty() || bytes < maxBytes)) {
                    Frame frame = readFrame(ch, at.segment(), offset, end, false);
                    long next = offset + RECORD_HEADER + frame.body().length;
                    out.add(new OutboxEntry(decode(frame.body(), at.segment(), offset), new Position(at.segment(), offset),
                            new Position(at.segment(), next)));
                    bytes += RECORD_HEADER + frame.body().length;
                    offset = next;
                }
                at = normalize(new Position(at.segment(), offset));
            }
        }
        return out;
    }

    /** Where the first undelivered record starts. */
    public synchronized Position committed() {
        return normalize(committed);
    }

    /**
     * Marks the records as delivered, durably. They must be the next ones after {@link #committed()}, in
     * order (a prefix of what {@link #read} returned from there).
     */
    public synchronized void commit(List<OutboxEntry> delivered) throws IOException {
        requireOpen();
        if (delivered.isEmpty()) {
            return;
        }
        if (!delivered.get(0).position().equals(normalize(committed))) {
            throw new IllegalStateException("commit must continue at " + normalize(committed) + ", got " + delivered.get(0).position());
        }
        for (int i = 1; i < delivered.size(); i++) {
            if (!delivered.get(i).position().equals(normalize(delivered.get(i - 1).next()))) {
                throw new IllegalStateException("commit needs consecutive records; a gap before " + delivered.get(i).position());
            }
        }
        Position next = normalize(delivered.get(delivered.size() - 1).next());
        if (next.compareTo(synced) > 0) {
            throw new IllegalStateException("cannot commit past the end of the outbox (" + synced + "): " + next);
        }
        writePosition(next);
        committed = next;
        events -= delivered.size();
        deleteSegmentsBefore(next.segment());
    }

    /** Undelivered, fsync'd records. */
    public synchronized long events() {
        return events;
    }

    /** Bytes of undelivered records on disk (written, fsync'd or not), the figure the limit applies to. */
    public synchronized long bytes() {
        long total = 0;
        for (Map.Entry<Long, Long> e : segments.tailMap(committed.segment(), true).entrySet()) {
            total += e.getValue() - (e.getKey() == committed.segment() ? committed.offset() : HEADER);
        }
        return total;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** No fsync'd record waits for delivery. */
    public synchronized boolean isEmpty() {
        return normalize(committed).equals(normalize(synced));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closeQuietly();
    }

    // ---- recovery -------------------------------------------------------------------------------

    private void recover() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Matcher m = SEGMENT_NAME.matcher(p.getFileName().toString());
                if (m.matches()) {
                    segments.put(Long.parseLong(m.group(1)), Files.size(p));
                }
            }
        }
        Files.deleteIfExists(dir.resolve(POSITION_FILE + ".tmp"));
        Position stored = readPosition();
        if (segments.isEmpty()) {
            long first = stored == null ? 1 : stored.segment() + 1;
            createSegment(first);
            committed = new Position(first, HEADER);
            writePosition(committed);
        } else {
            committed = stored == null ? new Position(segments.firstKey(), HEADER) : stored;
            if (!segments.containsKey(committed.segment())) {
                Long later = segments.ceilingKey(committed.segment());
                if (later == null || stored == null) {
                    throw new OutboxCorruptedException("the outbox position " + dir.resolve(POSITION_FILE) + " (" + committed
                            + ") names a segment that is gone and none follows it; segments on disk: " + segments.keySet());
                }
                committed = new Position(later, HEADER);
            }
            deleteSegmentsBefore(committed.segment());
            scan();
            long last = segments.lastKey();
            activeSegment = last;
            active = FileChannel.open(segmentPath(last), StandardOpenOption.WRITE, StandardOpenOption.READ);
        }
        synced = new Position(activeSegment, segments.get(activeSegment));
        committed = normalize(committed);
        if (events > 0) {
            log.info("Outbox {} holds {} undelivered events ({} bytes) from {}", dir, events, bytes(), committed);
        }
    }

    /** Checks every record from the committed position on, counts them, and repairs a torn tail. */
    private void scan() throws IOException {
        long last = segments.lastKey();
        for (Map.Entry<Long, Long> e : new ArrayList<>(segments.tailMap(committed.segment(), true).entrySet())) {
            long segment = e.getKey();
            long size = e.getValue();
            boolean newest = segment == last;
            Path path = segmentPath(segment);
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                if (size < HEADER) {
                    if (newest && isZeroOrPrefixOfMagic(ch, size)) {
                        log.warn("Outbox segment {} was cut short while being created; rewriting its header", path);
                        ch.truncate(0);
                        ch.write(ByteBuffer.wrap(MAGIC), 0);
                        ch.force(true);
                        segments.put(segment, (long) HEADER);
                        continue;
                    }
                    throw new OutboxCorruptedException("outbox segment " + path + " is " + size + " bytes, shorter than its header");
                }
                ByteBuffer magic = ByteBuffer.allocate(HEADER);
                readFully(ch, magic, 0);
                if (!java.util.Arrays.equals(magic.array(), MAGIC)) {
                    throw new OutboxCorruptedException("outbox segment " + path + " does not start with " + new String(MAGIC,
                            StandardCharsets.US_ASCII) + ": not an outbox file, or damaged");
                }
                long offset = HEADER;
                if (segment == committed.segment()) {
                    // Walk to the committed position: it must fall on a record boundary.
                    while (offset < committed.offset()) {
                        offset += RECORD_HEADER + readFrame(ch, segment, offset, size, false).body().length;
                    }
                    if (offset != committed.offset()) {
                        throw new OutboxCorruptedException("the outbox position " + committed + " in " + dir.resolve(POSITION_FILE)
                                + " falls inside a record of " + path);
                    }
                }
                while (offset < size) {
                    Frame frame = readFrame(ch, segment, offset, size, newest);
                    if (frame == null) {
                        log.warn("Outbox segment {} ends in a record cut short by a crash at byte {} ({} bytes); it was never"
                                + " acknowledged to its source, truncating it", path, offset, size - offset);
                        ch.truncate(offset);
                        ch.force(true);
                        segments.put(segment, offset);
                        break;
                    }
                    decode(frame.body(), segment, offset);
                    events++;
                    offset += RECORD_HEADER + frame.body().length;
                }
            }
        }
    }

    private static boolean isZeroOrPrefixOfMagic(FileChannel ch, long size) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) size);
        readFully(ch, b, 0);
        for (int i = 0; i < size; i++) {
            if (b.get(i) != 0 && b.get(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The record at {@code offset}. At the end of the newest segment ({@code tornTailAllowed}) a record cut
     * short (too few bytes, or nothing but zeros left) yields null; anywhere else it is corruption.
     */
    private Frame readFrame(FileChannel ch, long segment, long offset, long end, boolean tornTailAllowed) throws IOException {
        long remaining = end - offset;
        Path path = segmentPath(segment);
        if (remaining < RECORD_HEADER) {
            if (tornTailAllowed) {
                return null;
            }
            throw new OutboxCorruptedException("outbox segment " + path + " has a record cut short at byte " + offset
                    + " (" + remaining + " bytes, not even a record header)");
        }
        ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER);
        readFully(ch, header, offset);
        int length = header.getInt(0);
        int crc = header.getInt(4);
        if (length < BODY_FIXED || length > MAX_RECORD_BYTES || length > remaining - RECORD_HEADER) {
            if (tornTailAllowed && (length > remaining - RECORD_HEADER || allZero(ch, offset, remaining))) {
                return null;
            }
            throw new OutboxCorruptedException("outbox segment " + path + " has an impossible record length " + length
                    + " at byte " + offset + " (" + remaining + " bytes left in the file)");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        readFully(ch, body, offset + RECORD_HEADER);
        CRC32C check = new CRC32C();
        check.update(body.array());
        if ((int) check.getValue() != crc) {
            if (tornTailAllowed && offset + RECORD_HEADER + length == end && allZero(ch, offset + RECORD_HEADER, length)) {
                return null;
            }
            throw new OutboxCorruptedException("outbox segment " + path + " has a record at byte " + offset
                    + " whose checksum does not match its " + length + " bytes: the file is damaged; move the outbox"
                    + " directory aside to start empty, or repair it, before starting again");
        }
        return new Frame(body.array());
    }

    private static boolean allZero(FileChannel ch, long offset, long length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(length, 1 << 20));
        long at = offset;
        while (at < offset + length) {
            b.clear().limit((int) Math.min(b.capacity(), offset + length - at));
            readFully(ch, b, at);
            for (int i = 0; i < b.limit(); i++) {
                if (b.get(i) != 0) {
                    return false;
                }
            }
            at += b.limit();
        }
        return true;
    }

    private OutboxRecord decode(byte[] body, long segment, long offset) throws OutboxCorruptedException {
        ByteBuffer b = ByteBuffer.wrap(body);
        byte version = b.get();
        if (version != VERSION) {
            throw new OutboxCorruptedException("outbox segment " + segmentPath(segment) + " has a record of unknown version "
                    + version + " at byte " + offset);
        }
        long enqueuedAt = b.getLong();
        int sourceLength = Short.toUnsignedInt(b.getShort());
        if (sourceLength > b.remaining()) {
            throw new OutboxCorruptedException("outbox segment " + segmentPath(segment) + " has a record with a source longer"
                    + " than the record at byte " + offset);
        }
        byte[] source = new byte[sourceLength];
        b.get(source);
        byte[] payload = new byte[b.remaining()];
        b.get(payload);
        return new OutboxRecord(new String(source, StandardCharsets.UTF_8), Instant.ofEpochMilli(enqueuedAt), payload);
    }

    private static ByteBuffer encode(List<OutboxRecord> records) {
        List<byte[]> sources = new ArrayList<>(records.size());
        long total = 0;
        for (OutboxRecord r : records) {
            byte[] source = r.source().getBytes(StandardCharsets.UTF_8);
            if (source.length > 0xFFFF) {
                throw new IllegalArgumentException("source id longer than 65535 bytes");
            }
            long length = BODY_FIXED + source.length + (long) r.payload().length;
            if (length > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("an outbox record holds at most " + MAX_RECORD_BYTES + " bytes, got " + length);
            }
            sources.add(source);
            total += RECORD_HEADER + length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("one append holds at most 2 GiB, got " + total + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) total);
        for (int i = 0; i < records.size(); i++) {
            OutboxRecord r = records.get(i);
            byte[] source = sources.get(i);
            int length = BODY_FIXED + source.length + r.payload().length;
            int bodyStart = buffer.position() + RECORD_HEADER;
            buffer.putInt(length).putInt(0);
            buffer.put(VERSION).putLong(r.enqueuedAt().toEpochMilli()).putShort((short) source.length).put(source).put(r.payload());
            CRC32C crc = new CRC32C();
            crc.update(buffer.array(), bodyStart, length);
            buffer.putInt(bodyStart - 4, (int) crc.getValue());
        }
        return buffer.flip();
    }

    // ---- segments and position --------------------------------------------------------------------

    /** The same place, moved from the end of a finished segment to the start of the next one. */
    private Position normalize(Position p) {
        Position at = p;
        while (at.segment() != activeSegment && segments.containsKey(at.segment())
                && at.offset() >= segments.get(at.segment())) {
            Long next = segments.higherKey(at.segment());
            if (next == null) {
                break;
            }
            at = new Position(next, HEADER);
        }
        return at;
    }

    /** Syncs the active segment, then starts the next one; everything before it is then synced. */
    private void rollSegment() throws IOException {
        sync();
        long next = activeSegment + 1;
        FileChannel old = active;
        createSegment(next);
        old.close();
        synced = new Position(next, HEADER);
    }

    private void createSegment(long number) throws IOException {
        Path path = segmentPath(number);
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
        try {
            ch.write(ByteBuffer.wrap(MAGIC), 0);
            ch.force(true);
            forceDirectory();
        } catch (IOException e) {
            ch.close();
            Files.deleteIfExists(path);
            throw e;
        }
        segments.put(number, (long) HEADER);
        active = ch;
        activeSegment = number;
    }

    private void truncateActive(long size, IOException cause) {
        try {
            active.truncate(size);
            segments.put(activeSegment, size);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private void deleteSegmentsBefore(long segment) throws IOException {
        for (Long s : new ArrayList<>(segments.headMap(segment, false).keySet())) {
            Files.deleteIfExists(segmentPath(s));
            segments.remove(s);
        }
    }

    private Position readPosition() throws IOException {
        Path file = dir.resolve(POSITION_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        Matcher m = POSITION_TEXT.matcher(text);
        if (!m.matches()) {
            throw new OutboxCorruptedException("the outbox position file " + file + " is unreadable: '"
                    + text.substring(0, Math.min(80, text.length())) + "'");
        }
        return new Position(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }

    private void writePosition(Position p) throws IOException {
        Path tmp = dir.resolve(POSITION_FILE + ".tmp");
        byte[] text = ("pulse-outbox-position v1 " + p.segment() + " " + p.offset() + "\n").getBytes(StandardCharsets.US_ASCII);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(text);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(POSITION_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the outbox needs a file system with atomic rename; " + dir + " has none", e);
        }
        forceDirectory();
    }

    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for fsync; the rename itself is still atomic there.
            log.debug("Could not fsync directory {}: {}", dir, e.toString());
        }
    }

    private Path segmentPath(long segment) {
        return dir.resolve(String.format("%020d.seg", segment));
    }

    private static void readFully(FileChannel ch, ByteBuffer into, long offset) throws IOException {
        long at = offset;
        while (into.hasRemaining()) {
            int n = ch.read(into, at);
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + at);
            }
            at += n;
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the outbox in " + dir + " is closed");
        }
    }

    private void closeQuietly() {
        closed = true;
        try {
            if (active != null) {
                active.close();
            }
        } catch (IOException e) {
            log.warn("Could not close outbox segment in {}: {}", dir, e.toString());
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release the lock of the outbox in " + dir, e);
        }
    }

    private record Frame(byte[] body) {
    }
}
