package io.pulse.ingest.jdbc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Event ids of rows that carry none: name-based UUIDs (RFC 4122 version 5, SHA-1) of the source, the
 * table, the row id and, in timestamp+incrementing mode, the row's timestamp. A row read again (after a
 * crash between delivery and storing the position) gets the same id, so the topology drops the
 * duplicate; an update of the row (a new timestamp) is a new event.
 *
 * <p>The source name is part of the name because two databases (two stores' POS systems) may well have
 * the same table and the same ids; their rows must not be taken for duplicates of each other.
 */
public final class EventIds {
    /** The namespace of Pulse's JDBC row ids (a fixed random UUID). */
    public static final UUID NAMESPACE = UUID.fromString("6f2b3c1e-8d4a-4f7b-9a51-2c0e7d9b4a13");

    private EventIds() {
    }

    public static String forRow(String sourceName, String relation, long rowId, Optional<Instant> timestamp) {
        String name = "jdbc/" + sourceName + "/" + relation + "/" + rowId + timestamp.map(t -> "@" + t).orElse("");
        return nameBased(NAMESPACE, name).toString();
    }

    static UUID nameBased(UUID namespace, String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
        sha1.update(toBytes(namespace));
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
        long msb = 0;
        long lsb = 0;
        for (int i = 0; i < 8; i++) {
            msb = (msb << 8) | (hash[i] & 0xff);
            lsb = (lsb << 8) | (hash[i + 8] & 0xff);
        }
        return new UUID(msb, lsb);
    }

    private static byte[] toBytes(UUID uuid) {
        byte[] b = new byte[16];
        long msb = uuid.getMostSignificantBits();
        long lsb = uuid.getLeastSignificantBits();
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (msb >>> (56 - 8 * i));
            b[i + 8] = (byte) (lsb >>> (56 - 8 * i));
        }
        return b;
    }
}
