package io.pulse.ingest.delivery.outbox;

import io.pulse.avro.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Envelopes in the outbox: Avro single-object encoding (a marker, the writer schema's 64-bit fingerprint,
 * Avro binary), with every writer schema kept as {@code <outbox>/schemas/<fingerprint>.avsc}. Events
 * written by one release therefore still decode after an upgrade that evolved the envelope, without a
 * schema registry (which may be as unreachable as the broker while the outbox fills).
 *
 * <p>Encoding validates the envelope against its schema, like the Confluent serializer on the direct
 * path; a failure is a {@link SerializationException} (permanent).
 */
public final class OutboxEnvelopeCodec implements SchemaStore {
    private final Path schemaDir;
    private final BinaryMessageEncoder<Envelope> encoder = Envelope.getEncoder();
    private final BinaryMessageDecoder<Envelope> decoder;

    /** Writes the current envelope schema into {@code <outboxDir>/schemas} (once) so that what it encodes can always be read back. */
    public OutboxEnvelopeCodec(Path outboxDir) {
        this.schemaDir = outboxDir.resolve("schemas");
        this.decoder = Envelope.createDecoder(this);
        store(Envelope.getClassSchema());
    }

    public byte[] encode(Envelope event) {
        try {
            ByteBuffer b = encoder.encode(event);
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (IOException | AvroRuntimeException | ClassCastException | NullPointerException e) {
            throw new SerializationException("Could not encode event " + event.getEventId() + " of tenant " + event.getTenant()
                    + " as an " + Envelope.getClassSchema().getFullName() + ": " + e.getMessage(), e);
        }
    }

    public Envelope decode(byte[] payload) {
        try {
            return decoder.decode(payload);
        } catch (IOException | AvroRuntimeException e) {
            throw new SerializationException("Could not decode an envelope from the outbox (schemas in " + schemaDir + "): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        Path file = schemaDir.resolve(name(fingerprint));
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read outbox schema " + file, e);
        }
    }

    private void store(Schema schema) {
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        Path file = schemaDir.resolve(name(fingerprint));
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.createDirectories(schemaDir);
            Path tmp = schemaDir.resolve(name(fingerprint) + ".tmp");
            Files.writeString(tmp, schema.toString(), StandardCharsets.UTF_8);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not store the envelope schema in " + schemaDir, e);
        }
    }

    private static String name(long fingerprint) {
        return String.format(Locale.ROOT, "%016x.avsc", fingerprint);
    }
}
