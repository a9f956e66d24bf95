package io.pulse.ingest.blob;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The durable record of which blob versions (name and ETag) were ingested, and how far an unfinished one got.
 * One small JSON file per blob name under one directory, replaced by write-then-rename (written to a temporary
 * file, forced to disk, atomically moved over the old one), so a crash leaves either the old or the new entry,
 * never half of one. An entry moves forward only after the delivery path has made the lines it counts durable.
 *
 * <p>Why a local ledger and not metadata or index tags on the blob: setting metadata changes the blob's ETag
 * (it would look like a new drop), both need write permission on the retailer's container where reading is
 * enough, index tags are not available on every account kind, and per-batch progress would be a remote write
 * per batch. The price is a persistent volume for the ledger directory, like the one for the outbox.
 *
 * <p>One source instance per directory: the directory is locked while open.
 */
final class BlobLedger implements AutoCloseable {
    /** Where a blob version stands. */
    enum State { IN_PROGRESS, DONE }

    /**
     * One blob version's progress.
     *
     * @param blob        the blob's name
     * @param etag        the version
     * @param lines       lines read and durably handled (delivered, dead-lettered, or blank); the header of a CSV counts
     * @param offset      byte offset right after those lines: where reading resumes
     * @param events      events delivered from this version
     * @param deadLetters lines of this version dead-lettered
     */
    record Entry(String blob, String etag, State state, long lines, long offset, long events, long deadLetters, Instant updated) {
        Entry {
            Objects.requireNonNull(blob, "blob");
            Objects.requireNonNull(etag, "etag");
            Objects.requireNonNull(state, "state");
        }

        boolean isDone(String etagNow) {
            return state == State.DONE && etag.equals(etagNow);
        }
    }

    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".json.tmp";
    private static final String LOCK_FILE = ".lock";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private BlobLedger(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating) the ledger in {@code dir} and loads every entry; temporary files of an interrupted write are removed.
     *
     * @throws IllegalStateException if another source holds the directory
     * @throws UncheckedIOException  if the directory cannot be used, or an entry cannot be read
     */
    static BlobLedger open(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                throw new IllegalStateException("the blob ledger " + dir + " is in use by another source; each blob drop source needs its own ledger directory");
            }
            BlobLedger ledger = new BlobLedger(dir, channel, lock);
            ledger.load();
            return ledger;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("could not open the blob ledger " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    Path dir() {
        return dir;
    }

    Optional<Entry> entry(String blob) {
        return Optional.ofNullable(entries.get(blob));
    }

    /** Whether this version of the blob was ingested completely. */
    boolean isDone(String blob, String etag) {
        Entry e = entries.get(blob);
        return e != null && e.isDone(etag);
    }

    /** Where to start reading this version: after the lines already handled, or at the start for a version not seen before. */
    Entry startOf(String blob, String etag, Instant now) {
        Entry e = entries.get(blob);
        if (e != null && e.etag().equals(etag)) {
            return e;
        }
        return new Entry(blob, etag, State.IN_PROGRESS, 0, 0, 0, 0, now);
    }

    /** Durably replaces the blob's entry. Returns once the entry is on disk. */
    void record(Entry entry) {
        Path target = dir.resolve(fileName(entry.blob()));
        Path temp = dir.resolve(fileName(entry.blob()) + ".tmp");
        try {
            byte[] bytes = JSON.writeValueAsBytes(entry);
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            move(temp, target);
            forceDirectory();
            entries.put(entry.blob(), entry);
        } catch (IOException e) {
            throw new UncheckedIOException("could not record blob '" + entry.blob() + "' in the ledger " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Forgets completed blobs that are no longer in the container (deleted by the retailer or a lifecycle rule),
     * so the ledger does not grow forever. Unfinished entries are kept.
     *
     * @param listed every blob name the last complete listing returned
     */
    int forgetDoneExcept(Set<String> listed) {
        List<Entry> gone = entries.values().stream().filter(e -> e.state() == State.DONE && !listed.contains(e.blob())).toList();
        for (Entry e : gone) {
            try {
                Files.deleteIfExists(dir.resolve(fileName(e.blob())));
                entries.remove(e.blob());
            } catch (IOException ex) {
                throw new UncheckedIOException("could not remove blob '" + e.blob() + "' from the ledger " + dir + ": " + ex.getMessage(), ex);
            }
        }
        return gone.size();
    }

    int size() {
        return entries.size();
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close below releases it too
        }
        closeQuietly(lockChannel);
    }

    private void load() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(p); // a write interrupted before its rename: the old entry still stands
                } else if (name.endsWith(SUFFIX)) {
                    Entry e;
                    try {
                        e = JSON.readValue(Files.readAllBytes(p), Entry.class);
                    } catch (IOException | RuntimeException ex) {
                        throw new IOException("ledger entry " + p + " cannot be read (" + ex.getMessage()
                                + "); move it away to ingest that blob again", ex);
                    }
                    entries.put(e.blob(), e);
                }
            }
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of the ledger cannot rename atomically", e);
        }
    }

    /** Makes the rename itself durable (where the platform allows opening a directory). */
    private void forceDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform; the rename is still atomic
        }
    }

    /** A file name from any blob name (which may hold '/', and be up to 1024 characters): its SHA-256. */
    static String fileName(String blob) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(blob.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }
}
