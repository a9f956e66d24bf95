package io.pulse.lake;

import io.pulse.avro.Envelope;
import io.pulse.common.serde.GeneratedClassTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary envelopes (no registry, no Confluent header), for tests that need bytes on a topic
 * and a deserializer to inject, independent of the shared serde.
 */
public final class TestEnvelopeSerde {
    private TestEnvelopeSerde() {
    }

    public static Serializer<Envelope> serializer() {
        SpecificDatumWriter<Envelope> writer = new SpecificDatumWriter<>(Envelope.class);
        return (topic, envelope) -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            try {
                writer.write(envelope, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        };
    }

    public static Deserializer<Envelope> deserializer() {
        GeneratedClassTrust.install();
        SpecificDatumReader<Envelope> reader = new SpecificDatumReader<>(Envelope.class);
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, null);
            try {
                Envelope envelope = reader.read(null, decoder);
                if (!decoder.isEnd()) {
                    throw new SerializationException("bytes left over after an envelope on " + topic);
                }
                return envelope;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("not an Avro envelope on " + topic + ": " + e, e);
            }
        };
    }
}
