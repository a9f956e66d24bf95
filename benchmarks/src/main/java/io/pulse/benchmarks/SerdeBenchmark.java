package io.pulse.benchmarks;

import io.pulse.avro.Envelope;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding one envelope in the Confluent wire format (magic byte, schema id, Avro binary), with the
 * serde of the events topic as {@link SerdeFactory} hands it out, over an in-memory schema registry. The schema is
 * registered and the writer/reader resolved in the setup, so the measured code is the per-record path only.
 * Prints the encoded size of each envelope (bytes/record) once per fork.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SerdeBenchmark {
    private static final String TOPIC = TopicCatalogue.EVENTS.name();

    private Serializer<Envelope> serializer;
    private Deserializer<Envelope> deserializer;
    private Envelope pageView;
    private Envelope purchase;
    private byte[] pageViewBytes;
    private byte[] purchaseBytes;

    @Setup(Level.Trial)
    public void setUp() {
        Serde<Envelope> serde = new SerdeFactory(new InMemorySchemaRegistryClient()).forValue(TopicCatalogue.EVENTS);
        serializer = serde.serializer();
        deserializer = serde.deserializer();
        pageView = SampleEnvelopes.pageView(1);
        purchase = SampleEnvelopes.purchase(2);
        pageViewBytes = serializer.serialize(TOPIC, pageView);
        purchaseBytes = serializer.serialize(TOPIC, purchase);
        if (!pageView.equals(deserializer.deserialize(TOPIC, pageViewBytes))
                || !purchase.equals(deserializer.deserialize(TOPIC, purchaseBytes))) {
            throw new IllegalStateException("the serde does not round-trip the sample envelopes");
        }
        System.out.printf("%n[serde] bytes/record: page view %d, purchase (3 line items) %d%n",
                pageViewBytes.length, purchaseBytes.length);
    }

    @Benchmark
    public void serializePageView(Blackhole bh) {
        bh.consume(serializer.serialize(TOPIC, pageView));
    }

    @Benchmark
    public void serializePurchase(Blackhole bh) {
        bh.consume(serializer.serialize(TOPIC, purchase));
    }

    @Benchmark
    public void deserializePageView(Blackhole bh) {
        bh.consume(deserializer.deserialize(TOPIC, pageViewBytes));
    }

    @Benchmark
    public void deserializePurchase(Blackhole bh) {
        bh.consume(deserializer.deserialize(TOPIC, purchaseBytes));
    }
}
