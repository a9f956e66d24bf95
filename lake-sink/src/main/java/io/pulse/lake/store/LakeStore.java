package io.pulse.lake.store;

import java.io.OutputStream;
import java.util.Collection;
import java.util.List;

/**
 * Where lake files live (a local directory, or later ADLS Gen2), reduced to what an exactly-once sink
 * needs: write under a temporary name readers ignore, then publish under a deterministic final name
 * only if that name is still free.
 *
 * <p>Temporary names start with {@code '.'} (hidden from Spark, Hive and friends) and do not end with
 * {@code .parquet} (so {@code **}{@code /*.parquet} globs in DuckDB and Synapse skip them). They carry
 * an owner tag (for the sink, {@code <topic>+<partition>}) so that the new owner of a Kafka partition
 * can delete what a crashed previous owner left behind without touching anyone else's files in progress.
 *
 * <p>All operations fail with {@link LakeStoreException} naming the path.
 */
public interface LakeStore {

    /** Reserves a new temporary file in {@code directory}, creating the directory if needed. */
    TemporaryFile createTemporary(LakeDirectory directory, String ownerTag);

    /** Opens the temporary file for writing; the file is complete when the stream is closed. */
    OutputStream openForWrite(TemporaryFile file);

    /**
     * Publishes the complete temporary file under {@code finalName} in its directory, atomically and only
     * if no file of that name exists. If one does, the temporary file is deleted and the existing one is
     * kept: with deterministic names, that means an earlier attempt already committed this file.
     */
    CommitOutcome commitIfAbsent(TemporaryFile file, String finalName);

    /** Deletes a temporary file that will not be committed; a file already gone is fine. */
    void discard(TemporaryFile file);

    /** Every committed file of the dataset, in no particular order; temporaries are not listed. */
    List<LakeFile> listCommitted(String dataset);

    /**
     * Deletes the dataset's temporary files whose owner tag is one of {@code ownerTags}, such as those a
     * crashed writer left behind.
     *
     * @return how many were deleted
     */
    int deleteTemporaries(String dataset, Collection<String> ownerTags);
}
