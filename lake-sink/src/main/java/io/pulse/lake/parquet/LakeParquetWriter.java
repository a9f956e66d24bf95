package io.pulse.lake.parquet;

import io.pulse.common.serde.AvroModels;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes one Parquet file of Avro records (one schema per file) to a stream, with parquet-avro and no Hadoop
 * file system: the configuration is parquet's plain one and the output a {@link StreamOutputFile}.
 *
 * <p>Avro logical types become Parquet's: decimal → DECIMAL, timestamp-millis → TIMESTAMP (UTC), so readers
 * see exact amounts and instants. Values may be in converted form (BigDecimal, Instant: generated classes) or
 * raw Avro form (ByteBuffer, long: records decoded generically in their writer's schema).
 *
 * <p>Snappy, because snappy-java ships its native library for the usual platforms inside its jar and every
 * lake reader (Spark, Synapse, Fabric, DuckDB) reads it; ZSTD would need zstd-jni on the class path. Lists use
 * the standard three-level structure, not parquet-avro's legacy two-level one, which DuckDB misreads.
 */
public final class LakeParquetWriter implements Closeable {
    public static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;
    private static final GenericData MODEL = AvroModels.genericWithConversions();

    private final ParquetWriter<IndexedRecord> writer;
    private final Schema schema;
    private final String location;
    private long rows;

    private LakeParquetWriter(ParquetWriter<IndexedRecord> writer, Schema schema, String location) {
        this.writer = writer;
        this.schema = schema;
        this.location = location;
    }

    /**
     * Starts a Parquet file on {@code out}, which this writer closes.
     *
     * @param location      where the stream goes, for error messages
     * @param rowGroupBytes the row-group size: rows are buffered in memory up to about this many bytes
     */
    public static LakeParquetWriter open(OutputStream out, String location, Schema schema, long rowGroupBytes) {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        try {
            ParquetWriter<IndexedRecord> writer = AvroParquetWriter.<IndexedRecord>builder(new StreamOutputFile(out, location))
                    .withConf(conf)
                    .withSchema(schema)
                    .withDataModel(MODEL)
                    .withCompressionCodec(CODEC)
                    .withRowGroupSize(rowGroupBytes)
                    .build();
            return new LakeParquetWriter(writer, schema, location);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(out, e);
            throw new UncheckedIOException("cannot start Parquet file " + location,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public Schema schema() {
        return schema;
    }

    public void write(IndexedRecord row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write row " + (rows + 1) + " to Parquet file " + location, e);
        }
    }

    /** Bytes of the file so far: row groups written plus rows buffered (encoded), footer excluded. */
    public long dataSize() {
        return writer.getDataSize();
    }

    /** Writes the footer and closes the stream: only now is the file complete. */
    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish Parquet file " + location + " (" + rows + " rows)", e);
        }
    }


    private static void closeAfterFailure(OutputStream out, Exception failure) {
        try {
            out.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
