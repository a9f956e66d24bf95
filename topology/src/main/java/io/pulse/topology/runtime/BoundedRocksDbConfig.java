package io.pulse.topology.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the off-heap memory of every RocksDB state store in this JVM by one shared block cache and one
 * write-buffer manager that charges the stores' memtables to that cache: Kafka's documented pattern
 * ("Bounding total memory used by RocksDB"). Without it each store (and each segment of a window store)
 * gets its own cache and memtables, and memory grows with the number of stores, partitions and segments.
 *
 * <p>The sizes come from the Kafka Streams configuration under {@link #CACHE_BYTES_CONFIG} and
 * {@link #WRITE_BUFFER_BYTES_CONFIG}, which {@link StreamsProperties} fills from
 * {@code pulse.streams.rocksdb.cache-mb} and {@code pulse.streams.rocksdb.write-buffer-mb}. The write
 * buffers are counted inside the cache, so the cache size is the whole budget.
 *
 * <p>Kafka Streams creates one instance of this class per store, by name; the cache and the write-buffer
 * manager are created once, at the first store, and shared by all of them for the life of the JVM. The
 * first sizes win: a later instance asking for different sizes is told so in the log and shares the first.
 */
public final class BoundedRocksDbConfig implements RocksDBConfigSetter {
    private static final Logger log = LoggerFactory.getLogger(BoundedRocksDbConfig.class);

    /** Bytes of the one block cache shared by all stores (a Long); the write buffers are counted inside it. */
    public static final String CACHE_BYTES_CONFIG = "pulse.rocksdb.cache-bytes";
    /** Bytes of memtables all stores together may hold before RocksDB flushes (a Long); less than the cache. */
    public static final String WRITE_BUFFER_BYTES_CONFIG = "pulse.rocksdb.write-buffer-bytes";

    /** Share of the cache reserved for index and filter blocks (high priority): they are needed for every read. */
    static final double INDEX_FILTER_RATIO = 0.1;

    private static SharedMemory jvmShared;

    private final BiFunction<Long, Long, SharedMemory> memoryOfSize;

    /** What Kafka Streams instantiates (by class name): uses the JVM-wide cache and write-buffer manager. */
    public BoundedRocksDbConfig() {
        this(BoundedRocksDbConfig::jvmShared);
    }

    /** For tests: {@code memoryOfSize} gives the memory to share for (cache bytes, write-buffer bytes). */
    BoundedRocksDbConfig(BiFunction<Long, Long, SharedMemory> memoryOfSize) {
        this.memoryOfSize = memoryOfSize;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        SharedMemory memory = memoryOfSize.apply(bytes(configs, CACHE_BYTES_CONFIG), bytes(configs, WRITE_BUFFER_BYTES_CONFIG));

        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        // These three bound the store's memory by the shared cache.
        table.setBlockCache(memory.cache());
        table.setCacheIndexAndFilterBlocks(true);
        options.setWriteBufferManager(memory.writeBufferManager());
        // Index and filter blocks go to the high-priority pool, and the top level of a partitioned index stays
        // pinned, so reads do not thrash when the cache is under pressure.
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // Nothing: the cache and the write-buffer manager are shared by every store of the JVM and outlive each one.
    }

    /** The cache and write-buffer manager all stores of this JVM share, created at the first call. */
    static synchronized SharedMemory jvmShared(long cacheBytes, long writeBufferBytes) {
        if (jvmShared == null) {
            jvmShared = SharedMemory.create(cacheBytes, writeBufferBytes);
            log.info("RocksDB state stores share one {} MiB block cache, {} MiB of it for write buffers",
                    cacheBytes >> 20, writeBufferBytes >> 20);
        } else if (jvmShared.cacheBytes() != cacheBytes || jvmShared.writeBufferBytes() != writeBufferBytes) {
            log.warn("RocksDB memory of this JVM is already bounded at a {} byte cache with {} bytes of write buffers;"
                            + " keeping those, not the {} and {} asked for now",
                    jvmShared.cacheBytes(), jvmShared.writeBufferBytes(), cacheBytes, writeBufferBytes);
        }
        return jvmShared;
    }

    private static long bytes(Map<String, Object> configs, String key) {
        Object v = configs.get(key);
        if (v == null) {
            throw new IllegalStateException("'" + key + "' is missing from the Kafka Streams configuration: "
                    + BoundedRocksDbConfig.class.getSimpleName() + " needs it to size RocksDB's shared memory"
                    + " (StreamsProperties sets it from the pulse.streams.rocksdb.* keys)");
        }
        long n = v instanceof Number number ? number.longValue() : Long.parseLong(v.toString().trim());
        if (n <= 0) {
            throw new IllegalStateException("'" + key + "' must be a positive number of bytes, got " + v);
        }
        return n;
    }

    /**
     * One block cache and one write-buffer manager charging its memtables to that cache.
     *
     * @param cacheBytes       capacity of the cache: the bound of all stores' block cache, index, filters and memtables
     * @param writeBufferBytes how much of it memtables may take before RocksDB flushes them
     */
    record SharedMemory(Cache cache, WriteBufferManager writeBufferManager, long cacheBytes, long writeBufferBytes)
            implements AutoCloseable {
        SharedMemory {
            Objects.requireNonNull(cache, "cache");
            Objects.requireNonNull(writeBufferManager, "writeBufferManager");
        }

        static SharedMemory create(long cacheBytes, long writeBufferBytes) {
            if (writeBufferBytes >= cacheBytes) {
                throw new IllegalArgumentException("RocksDB write buffers (" + writeBufferBytes
                        + " bytes) must be smaller than the cache that counts them (" + cacheBytes + " bytes)");
            }
            // -1: RocksDB picks the shard count; false: no strict limit, a full cache evicts instead of failing reads.
            Cache cache = new LRUCache(cacheBytes, -1, false, INDEX_FILTER_RATIO);
            return new SharedMemory(cache, new WriteBufferManager(writeBufferBytes, cache), cacheBytes, writeBufferBytes);
        }

        /** Only for memory created for a test: the JVM-wide one lives as long as the JVM. */
        @Override
        public void close() {
            writeBufferManager.close();
            cache.close();
        }
    }
}
