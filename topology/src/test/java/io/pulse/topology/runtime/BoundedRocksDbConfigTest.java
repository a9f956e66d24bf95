package io.pulse.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.kafka.KafkaClientSettings;
import io.pulse.topology.runtime.BoundedRocksDbConfig.SharedMemory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class BoundedRocksDbConfigTest {
    private static final long MIB = 1L << 20;

    static {
        RocksDB.loadLibrary();
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void sizesTheSharedMemoryFromTheStreamsPropertiesPulseBuilds() {
        PulseConfig config = PulseConfig.load(Map.of(), Map.of(),
                Map.of(ConfigKeys.ROCKSDB_CACHE, "32", ConfigKeys.ROCKSDB_WRITE_BUFFERS, "8"));
        Properties props = StreamsProperties.of(config, new KafkaClientSettings(config.kafka()), null);
        List<long[]> asked = new ArrayList<>();
        SharedMemory memory = track(SharedMemory.create(32 * MIB, 8 * MIB));
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((cache, writeBuffers) -> {
            asked.add(new long[] {cache, writeBuffers});
            return memory;
        });

        assertThat(props.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG)).isEqualTo(BoundedRocksDbConfig.class);
        Options options = options();
        setter.setConfig("store-a", options, streamsConfigs(props));

        assertThat(asked).singleElement().satisfies(sizes -> assertThat(sizes).containsExactly(32 * MIB, 8 * MIB));
        assertThat(options.writeBufferManager()).isSameAs(memory.writeBufferManager());
    }

    @Test
    void everyStoreSharesTheOneCacheAndWriteBufferManagerWithIndexAndFiltersCached() {
        SharedMemory memory = track(SharedMemory.create(16 * MIB, 4 * MIB));
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((c, w) -> memory);

        Options a = options();
        Options b = options();
        setter.setConfig("counts", a, sizes(16 * MIB, 4 * MIB));
        setter.setConfig("sessions", b, sizes(16 * MIB, 4 * MIB));

        assertThat(a.writeBufferManager()).isSameAs(memory.writeBufferManager()).isSameAs(b.writeBufferManager());
        for (Options o : List.of(a, b)) {
            BlockBasedTableConfig table = (BlockBasedTableConfig) o.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.cacheIndexAndFilterBlocksWithHighPriority()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
        }
    }

    @Test
    void theMemtablesOfEveryStoreAreChargedToTheOneCache() throws RocksDBException {
        SharedMemory memory = track(SharedMemory.create(32 * MIB, 8 * MIB));
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((c, w) -> memory);
        RocksDB first = openStore(setter, "first", sizes(32 * MIB, 8 * MIB));
        RocksDB second = openStore(setter, "second", sizes(32 * MIB, 8 * MIB));

        long before = memory.cache().getUsage();
        write(first, 0, 2 * MIB);
        long afterFirst = memory.cache().getUsage();
        write(second, 0, 2 * MIB);
        long afterSecond = memory.cache().getUsage();

        // Nothing was read or flushed: what the cache holds now is the write-buffer manager's reservation for memtables.
        assertThat(afterFirst - before).isGreaterThanOrEqualTo(2 * MIB);
        assertThat(afterSecond - afterFirst).isGreaterThanOrEqualTo(2 * MIB);
    }

    @Test
    void memtablesAreFlushedOnceTheSharedWriteBufferBudgetIsReached() throws RocksDBException {
        SharedMemory memory = track(SharedMemory.create(8 * MIB, 2 * MIB));
        RocksDB db = openStore(new BoundedRocksDbConfig((c, w) -> memory), "counts", sizes(8 * MIB, 2 * MIB));

        write(db, 0, 24 * MIB); // RocksDB's default memtable alone would take 64 MiB before its first flush
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.getLongProperty("rocksdb.num-immutable-mem-table") == 0);

        assertThat(db.getLongProperty("rocksdb.total-sst-files-size")).isPositive();
        assertThat(db.getLongProperty("rocksdb.cur-size-all-mem-tables")).isLessThan(4 * MIB);
        assertThat(memory.cache().getUsage()).isLessThanOrEqualTo(8 * MIB + MIB);
    }

    @Test
    void readsOfEveryStoreStayWithinTheCacheCapacity() throws RocksDBException {
        SharedMemory memory = track(SharedMemory.create(4 * MIB, MIB));
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((c, w) -> memory);
        RocksDB first = openStore(setter, "first", sizes(4 * MIB, MIB));
        RocksDB second = openStore(setter, "second", sizes(4 * MIB, MIB));
        int keys = write(first, 0, 12 * MIB);
        write(second, 0, 12 * MIB);
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
            first.flush(flush);
            second.flush(flush);
        }

        long read = 0;
        for (int i = 0; i < keys; i++) {
            read += first.get(key(i)).length + second.get(key(i)).length;
        }

        assertThat(read).isGreaterThanOrEqualTo(24 * MIB);
        assertThat(memory.cache().getUsage()).isPositive().isLessThanOrEqualTo(4 * MIB + MIB / 2);
    }

    @Test
    void closingOneStoreLeavesTheSharedMemoryUsableByTheOthers() throws RocksDBException {
        SharedMemory memory = track(SharedMemory.create(8 * MIB, 2 * MIB));
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((c, w) -> memory);
        Options closedOptions = options();
        setter.setConfig("closed", closedOptions, sizes(8 * MIB, 2 * MIB));
        setter.close("closed", closedOptions);

        RocksDB other = openStore(setter, "other", sizes(8 * MIB, 2 * MIB));
        write(other, 0, MIB);

        assertThat(memory.cache().isOwningHandle()).isTrue();
        assertThat(memory.writeBufferManager().isOwningHandle()).isTrue();
        assertThat(other.get(key(0))).isNotNull();
    }

    @Test
    void theJvmWideMemoryIsCreatedOnceAndKeptWhateverALaterCallerAsks() {
        SharedMemory first = BoundedRocksDbConfig.jvmShared(64 * MIB, 16 * MIB);
        SharedMemory again = BoundedRocksDbConfig.jvmShared(64 * MIB, 16 * MIB);
        SharedMemory other = BoundedRocksDbConfig.jvmShared(128 * MIB, 32 * MIB);

        assertThat(again).isSameAs(first);
        assertThat(other).isSameAs(first);
    }

    @Test
    void refusesAConfigurationWithoutTheSizesNamingTheKey() {
        BoundedRocksDbConfig setter = new BoundedRocksDbConfig((c, w) -> {
            throw new AssertionError("no memory may be created without sizes");
        });

        assertThatThrownBy(() -> setter.setConfig("counts", options(), Map.of(BoundedRocksDbConfig.CACHE_BYTES_CONFIG, 1L)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'" + BoundedRocksDbConfig.WRITE_BUFFER_BYTES_CONFIG + "' is missing");
    }

    @Test
    void refusesWriteBuffersThatDoNotFitInTheCache() {
        assertThatThrownBy(() -> SharedMemory.create(4 * MIB, 4 * MIB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be smaller than the cache");
    }

    /** Options as Kafka Streams hands them to a config setter: a block-based table config already in place. */
    private Options options() {
        Options o = new Options().setCreateIfMissing(true).setTableFormatConfig(new BlockBasedTableConfig());
        open.add(o);
        return o;
    }

    private RocksDB openStore(BoundedRocksDbConfig setter, String name, Map<String, Object> configs) throws RocksDBException {
        Options o = options();
        setter.setConfig(name, o, configs);
        RocksDB db = RocksDB.open(o, dir.resolve(name).toString());
        open.add(db);
        return db;
    }

    /** Writes 1 KiB values with keys from {@code first} until {@code bytes} are written; returns how many. */
    private static int write(RocksDB db, int first, long bytes) throws RocksDBException {
        byte[] value = new byte[1024];
        int n = (int) (bytes / value.length);
        for (int i = first; i < first + n; i++) {
            value[i % value.length] = (byte) i; // not all equal, so blocks do not compress to nothing
            db.put(key(i), value);
        }
        return n;
    }

    private static byte[] key(int i) {
        return String.format("key-%08d", i).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> sizes(long cache, long writeBuffers) {
        return Map.of(BoundedRocksDbConfig.CACHE_BYTES_CONFIG, cache, BoundedRocksDbConfig.WRITE_BUFFER_BYTES_CONFIG, writeBuffers);
    }

    /** What Kafka Streams passes to a config setter: the application's configuration, custom keys included. */
    private static Map<String, Object> streamsConfigs(Properties props) {
        Map<String, Object> m = new HashMap<>();
        props.forEach((k, v) -> m.put(k.toString(), v));
        return new StreamsConfig(m).originals();
    }

    private <T extends AutoCloseable> T track(T resource) {
        open.add(0, resource); // closed last, after the stores using it
        return resource;
    }
}
