package io.pulse.lake.parquet;

import io.pulse.avro.lake.LakeEventRow;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.specific.SpecificData;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes one Parquet file of {@link LakeEventRow}s to a stream, with parquet-avro and no Hadoop file
 * system: the configuration is parquet's plain one and the output a {@link StreamOutputFile}.
 *
 * <p>Snappy, because snappy-java ships its native library for the usual platforms inside its jar and
 * every lake reader (Spark, Synapse, Fabric, DuckDB) reads it; ZSTD would need zstd-jni on the class
 * path. Lists use the standard three-level structure, not parquet-avro's legacy two-level one.
 */
public final class LakeEventParquetWriter implements Closeable {
    public static final CompressionCodecName CODEC = CompressionCodecName.SNAPPY;

    private final ParquetWriter<LakeEventRow> writer;
    private final String location;
    private long rows;

    private LakeEventParquetWriter(ParquetWriter<LakeEventRow> writer, String location) {
        this.writer = writer;
        this.location = location;
    }

    /**
     * Starts a Parquet file on {@code out}, which this writer closes.
     *
     * @param location where the stream goes, for error messages
     */
    public static LakeEventParquetWriter open(OutputStream out, String location) {
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        try {
            ParquetWriter<LakeEventRow> writer = AvroParquetWriter.<LakeEventRow>builder(new StreamOutputFile(out, location))
                    .withConf(conf)
                    .withSchema(LakeEventRow.getClassSchema())
                    // The generated class's model carries the decimal and timestamp conversions.
                    .withDataModel(SpecificData.getForClass(LakeEventRow.class))
                    .withCompressionCodec(CODEC)
                    .build();
            return new LakeEventParquetWriter(writer, location);
        } catch (IOException | RuntimeException e) {
            closeAfterFailure(out, e);
            throw new UncheckedIOException("cannot start Parquet file " + location,
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    public void write(LakeEventRow row) {
        try {
            writer.write(row);
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write row " + (rows + 1) + " to Parquet file " + location, e);
        }
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
