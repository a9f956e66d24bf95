package io.pulse.benchmarks;

import io.pulse.avro.Envelope;
import io.pulse.common.registry.InMemorySchemaRegistryClient;
import io.pulse.common.serde.SerdeFactory;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.lake.dataset.EventsDataset;
import io.pulse.lake.dataset.LakeRow;
import io.pulse.lake.mapping.LakeEventMapper;
import io.pulse.lake.mapping.Pseudonymiser;
import io.pulse.lake.parquet.LakeParquetWriter;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One Parquet file of {@value #ROWS} envelopes (three page views to one purchase) written to memory, through the
 * lake sink's public entry points: {@link EventsDataset#read} (Confluent bytes → pseudonymised
 * {@code LakeEventRow}) and {@link LakeParquetWriter} (snappy, the sink's default 128 MiB row group, so one row
 * group). Scores are rows/s ({@link OperationsPerInvocation}); the file size (bytes/row) is printed once per fork.
 *
 * <ul>
 *   <li>{@code encodeRows}: Parquet encoding only, of rows mapped in the setup;</li>
 *   <li>{@code readMapAndEncode}: the sink's per-record work: decode, map, pseudonymise, encode.</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
@OperationsPerInvocation(ParquetBenchmark.ROWS)
public class ParquetBenchmark {
    static final int ROWS = 10_000;
    /** The sink's default pulse.lake.max-file-mb, which is also its row-group size. */
    private static final long ROW_GROUP_BYTES = 128L << 20;
    private static final String TOPIC = TopicCatalogue.EVENTS.name();

    private EventsDataset dataset;
    private List<ConsumerRecord<byte[], byte[]>> records;
    private List<IndexedRecord> rows;
    private Schema schema;
    private ByteArrayOutputStream out;

    @Setup(Level.Trial)
    public void setUp() {
        SerdeFactory serdes = new SerdeFactory(new InMemorySchemaRegistryClient());
        Serializer<Envelope> serializer = serdes.forValue(TopicCatalogue.EVENTS).serializer();
        dataset = new EventsDataset(serdes, new LakeEventMapper(new Pseudonymiser("benchmark-key")));
        List<Envelope> envelopes = SampleEnvelopes.mix(ROWS);
        records = new ArrayList<>(ROWS);
        rows = new ArrayList<>(ROWS);
        for (int i = 0; i < ROWS; i++) {
            Envelope e = envelopes.get(i);
            var record = new ConsumerRecord<>(TOPIC, 0, i, e.getEventId().getBytes(), serializer.serialize(TOPIC, e));
            records.add(record);
            rows.add(dataset.read(record).orElseThrow().value());
        }
        schema = rows.get(0).getSchema();
        out = new ByteArrayOutputStream(4 << 20);
        long avroBytes = records.stream().mapToLong(r -> r.value().length).sum();
        encodeRows(null);
        System.out.printf("%n[parquet] %d rows: %d bytes, %.1f bytes/row (the same envelopes in the Confluent wire format: %.1f bytes/record)%n",
                ROWS, out.size(), (double) out.size() / ROWS, (double) avroBytes / ROWS);
    }

    @Benchmark
    public void encodeRows(Blackhole bh) {
        out.reset();
        try (LakeParquetWriter writer = LakeParquetWriter.open(out, "memory:events", schema, ROW_GROUP_BYTES)) {
            for (IndexedRecord row : rows) {
                writer.write(row);
            }
        }
        if (bh != null) {
            bh.consume(out.size());
        }
    }

    @Benchmark
    public void readMapAndEncode(Blackhole bh) {
        out.reset();
        try (LakeParquetWriter writer = LakeParquetWriter.open(out, "memory:events", schema, ROW_GROUP_BYTES)) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                LakeRow row = dataset.read(record).orElseThrow();
                writer.write(row.value());
            }
        }
        bh.consume(out.size());
    }
}
