package io.pulse.ingest.jdbc;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * The durable position of one source: a small properties file, replaced atomically (write a temporary
 * file, force it to disk, rename it over the old one, force the directory), so a crash leaves either the
 * old or the new position, never a torn one.
 *
 * <p>The file records what it is a position in (mode, table or query, columns). When the configuration
 * changes under an existing position, the source refuses to start instead of applying an id or timestamp
 * from one table to another.
 */
final class PositionStore {
    private static final String SETUP = "setup";
    private static final String LAST_ID = "last-id";
    private static final String LAST_TIMESTAMP = "last-timestamp";

    private final Path file;
    private final String setup;

    PositionStore(Path file, String setup) {
        this.file = file;
        this.setup = setup;
    }

    /** What a position means: mode, relation (a query by its hash) and columns, lower-cased. */
    static String setupOf(JdbcSourceConfig.Polling polling) {
        String relation = polling.table().orElseGet(() -> "query-sha256:" + sha256(polling.query().orElseThrow()));
        return (polling.mode().id() + "|" + relation + "|" + polling.incrementingColumn() + "|" + polling.timestampColumn().orElse(""))
                .toLowerCase(Locale.ROOT);
    }

    Path file() {
        return file;
    }

    /**
     * @return the stored position, or {@link SourcePosition#START} when there is no file yet
     * @throws JdbcSourceException (permanent) when the file is unreadable or belongs to another setup
     */
    SourcePosition load() throws IOException, JdbcSourceException {
        if (!Files.exists(file)) {
            return SourcePosition.START;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        String stored = p.getProperty(SETUP);
        if (!setup.equals(stored)) {
            throw JdbcSourceException.permanent("position file " + file + " was written for another setup (" + stored + "), the configuration now says ("
                    + setup + "); restore the earlier configuration, or delete the file to read the source from the start");
        }
        try {
            long id = Long.parseLong(p.getProperty(LAST_ID, "").trim());
            String ts = p.getProperty(LAST_TIMESTAMP, "").trim();
            return ts.isEmpty() ? SourcePosition.of(id) : SourcePosition.of(id, Instant.parse(ts));
        } catch (NumberFormatException | DateTimeParseException e) {
            throw JdbcSourceException.permanent("position file " + file + " is corrupt (" + e.getMessage()
                    + "); restore it from a backup or delete it to read the source from the start");
        }
    }

    void save(SourcePosition position) throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder()
                .append("# Position of a Pulse JDBC source: rows up to here are delivered. Delete the file to read from the start.\n")
                .append(SETUP).append('=').append(escape(setup)).append('\n')
                .append(LAST_ID).append('=').append(position.lastId()).append('\n');
        Optional<Instant> ts = position.lastTimestamp();
        ts.ifPresent(t -> text.append(LAST_TIMESTAMP).append('=').append(t).append('\n'));

        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + file.getParent() + " cannot rename atomically; choose another position directory", e);
        }
        forceDirectory(file.getParent());
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open directories; NTFS journals the rename itself.
        }
    }

    /** Properties escaping of the few characters a setup string can hold (':' and '=' are escaped by convention). */
    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("=", "\\=").replace(":", "\\:");
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
