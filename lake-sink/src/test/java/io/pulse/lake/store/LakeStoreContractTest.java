package io.pulse.lake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link LakeStore} must do, run against each store by a subclass that says how to look at
 * the store's files directly (not through the store under test).
 */
public abstract class LakeStoreContractTest {
    protected static final LakeDirectory HOUR_13 = new LakeDirectory("events", List.of("tenant=contoso", "date=2024-05-01", "hour=13"));
    protected static final String NAME = "pulse.events.v1+2+10+19.parquet";
    protected static final String OWNER = "pulse.events.v1+2";

    protected LakeStore store;

    /** A new store over an empty lake. */
    protected abstract LakeStore newStore() throws Exception;

    /** The content of a committed file, read directly. */
    protected abstract byte[] contentOf(LakeFile file) throws Exception;

    /** The names of every file in a directory, temporaries included, read directly; sorted. */
    protected abstract List<String> filesIn(LakeDirectory directory) throws Exception;

    /** Writes a file directly, as another tool would, at a path relative to the lake's root. */
    protected abstract void putFile(String relativePath, byte[] content) throws Exception;

    /** A local directory with the lake's files (the lake itself or a copy), for DuckDB. */
    protected abstract Path localCopy() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @Test
    void commitPublishesTheFileUnderItsFinalName() throws Exception {
        TemporaryFile temp = write("first", OWNER);

        assertThat(store.commitIfAbsent(temp, NAME)).isEqualTo(CommitOutcome.COMMITTED);

        assertThat(text(new LakeFile(HOUR_13, NAME))).isEqualTo("first");
        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
        assertThat(filesIn(HOUR_13)).containsExactly(NAME);
    }

    @Test
    void commitIsIfAbsentAndKeepsTheFileAlreadyThere() throws Exception {
        store.commitIfAbsent(write("first", OWNER), NAME);
        TemporaryFile second = write("second", OWNER);

        assertThat(store.commitIfAbsent(second, NAME)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        assertThat(text(new LakeFile(HOUR_13, NAME))).isEqualTo("first");
        assertThat(filesIn(HOUR_13)).as("the losing temporary is removed").containsExactly(NAME);
    }

    @Test
    void temporariesAreInvisibleToListingsAndParquetGlobs() throws Exception {
        TemporaryFile temp = write("in progress", OWNER);

        assertThat(temp.name()).startsWith("." + OWNER + ".").endsWith(".tmp").doesNotEndWith(".parquet");
        assertThat(filesIn(HOUR_13)).containsExactly(temp.name());
        assertThat(store.listCommitted("events")).isEmpty();
        Path lake = localCopy();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM glob('" + lake + "/events/**/*.parquet')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void deletesOnlyTheTemporariesOfTheGivenOwners() throws Exception {
        write("p2", OWNER);
        write("p20", "pulse.events.v1+20");
        store.commitIfAbsent(write("committed", OWNER), NAME);

        assertThat(store.deleteTemporaries("events", List.of(OWNER))).isEqualTo(1);

        List<String> left = filesIn(HOUR_13);
        assertThat(left).hasSize(2).contains(NAME);
        assertThat(left).anyMatch(name -> name.startsWith(".pulse.events.v1+20."));
        assertThat(store.deleteTemporaries("no-such-dataset", List.of(OWNER))).isZero();
    }

    @Test
    void discardRemovesATemporary() throws Exception {
        TemporaryFile temp = write("abandoned", OWNER);

        store.discard(temp);
        store.discard(temp); // already gone: fine

        assertThat(filesIn(HOUR_13)).isEmpty();
    }

    @Test
    void committingAVanishedTemporaryFailsNamingIt() throws Exception {
        TemporaryFile temp = write("x", OWNER);
        store.deleteTemporaries("events", List.of(OWNER));

        assertThatThrownBy(() -> store.commitIfAbsent(temp, NAME))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining(temp.name())
                .hasMessageContaining("the temporary file is gone");
    }

    @Test
    void listingIgnoresHiddenAndUnderscoreFilesAndDirectories() throws Exception {
        store.commitIfAbsent(write("x", OWNER), NAME);
        putFile("events/_spark_metadata/0", bytes("x"));
        putFile("events/_SUCCESS", bytes(""));
        putFile("events/tenant=contoso/.staging/part-0.parquet", bytes("x"));
        putFile("events/not-a-partition/part-0.parquet", bytes("x"));

        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
        assertThat(store.listCommitted("no-such-dataset")).isEmpty();
    }

    @Test
    void listsEveryCommittedFileOfTheDataset() throws Exception {
        List<LakeFile> expected = new ArrayList<>();
        for (int hour = 10; hour < 14; hour++) {
            LakeDirectory dir = new LakeDirectory("events", List.of("tenant=fabrikam", "date=2024-05-02", "hour=" + hour));
            for (int batch = 0; batch < 3; batch++) {
                String name = "pulse.events.v1+0+" + (batch * 10) + "+" + (batch * 10 + 9) + ".parquet";
                TemporaryFile temp = store.createTemporary(dir, "pulse.events.v1+0");
                try (OutputStream out = store.openForWrite(temp)) {
                    out.write(bytes(name));
                }
                assertThat(store.commitIfAbsent(temp, name)).isEqualTo(CommitOutcome.COMMITTED);
                expected.add(new LakeFile(dir, name));
            }
        }
        store.commitIfAbsent(write("another directory", OWNER), NAME);

        assertThat(store.listCommitted("events")).containsExactlyInAnyOrderElementsOf(concat(expected, new LakeFile(HOUR_13, NAME)));
    }

    @Test
    void keepsEveryByteOfLargeAndEmptyFiles() throws Exception {
        byte[] large = new byte[9 * 1024 * 1024 + 17]; // more than two 4 MiB chunks
        new Random(42).nextBytes(large);
        TemporaryFile big = store.createTemporary(HOUR_13, OWNER);
        try (OutputStream out = store.openForWrite(big)) {
            for (int off = 0; off < large.length; off += 100_000) {
                out.write(large, off, Math.min(100_000, large.length - off));
            }
        }
        TemporaryFile empty = store.createTemporary(HOUR_13, OWNER);
        store.openForWrite(empty).close();

        store.commitIfAbsent(big, NAME);
        store.commitIfAbsent(empty, "empty.parquet");

        assertThat(contentOf(new LakeFile(HOUR_13, NAME))).isEqualTo(large);
        assertThat(contentOf(new LakeFile(HOUR_13, "empty.parquet"))).isEmpty();
    }

    @Test
    void refusesHiddenFinalNamesAndOddOwnerTags() throws Exception {
        TemporaryFile temp = write("x", OWNER);

        assertThatThrownBy(() -> store.commitIfAbsent(temp, ".sneaky.parquet")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(".sneaky.parquet");
        assertThatThrownBy(() -> store.createTemporary(HOUR_13, "a/b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a/b");
    }

    @Test
    void directoriesCannotClimbOutOfTheLake() {
        assertThatThrownBy(() -> new LakeDirectory("events", List.of("tenant=..")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant=..");
        assertThatThrownBy(() -> new LakeDirectory("events", List.of("tenant=a/b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LakeDirectory("..", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    protected TemporaryFile write(String content, String owner) throws IOException {
        TemporaryFile temp = store.createTemporary(HOUR_13, owner);
        try (OutputStream out = store.openForWrite(temp)) {
            out.write(bytes(content));
        }
        return temp;
    }

    protected String text(LakeFile file) throws Exception {
        return new String(contentOf(file), StandardCharsets.UTF_8);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<LakeFile> concat(List<LakeFile> files, LakeFile one) {
        List<LakeFile> all = new ArrayList<>(files);
        all.add(one);
        return all;
    }
}
