package io.pulse.lake.dataset;

import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One dataset of the lake and the topic it is copied from: how a consumed record becomes a row in a lake
 * directory, or is skipped. Adding a dataset is one implementation and one line in {@link LakeDatasets#standard}.
 *
 * <p>A record that cannot become a row throws: the sink sends it to the dead-letter topic, unless the failure
 * says nothing about the record (an unreachable schema registry), in which case it is read again later.
 * Skipped records and dead letters still count in their batch's offset range. Implementations are stateless
 * or thread safe, and deterministic: replaying a record must give the same row in the same directory.
 */
public interface LakeDataset {

    /** The dataset's top-level directory, and the table name analysts query. */
    String name();

    /** The topic whose records become this dataset's rows. */
    String topic();

    /**
     * @return the record's row, or empty if the dataset does not keep such records
     * @throws RuntimeException if the record cannot be read or does not fit the lake (its message says why)
     */
    Optional<LakeRow> read(ConsumerRecord<byte[], byte[]> record);
}
