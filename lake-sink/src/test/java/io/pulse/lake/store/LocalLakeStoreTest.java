package io.pulse.lake.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalLakeStoreTest {
    private static final LakeDirectory HOUR_13 = new LakeDirectory("events", List.of("tenant=contoso", "date=2024-05-01", "hour=13"));
    private static final String NAME = "pulse.events.v1+2+10+19.parquet";

    @TempDir
    Path root;

    private LocalLakeStore store;

    @BeforeEach
    void setUp() {
        store = new LocalLakeStore(root);
    }

    @Test
    void commitPublishesTheFileUnderItsFinalName() throws IOException {
        TemporaryFile temp = write("first", "pulse.events.v1+2");

        assertThat(store.commitIfAbsent(temp, NAME)).isEqualTo(CommitOutcome.COMMITTED);

        Path committed = store.pathOf(new LakeFile(HOUR_13, NAME));
        assertThat(committed).hasContent("first");
        assertThat(committed).isEqualTo(root.resolve("events/tenant=contoso/date=2024-05-01/hour=13/" + NAME));
        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
        assertThat(filesIn(committed.getParent())).containsExactly(NAME);
    }

    @Test
    void commitIsIfAbsentAndKeepsTheFileAlreadyThere() throws IOException {
        store.commitIfAbsent(write("first", "pulse.events.v1+2"), NAME);
        TemporaryFile second = write("second", "pulse.events.v1+2");

        assertThat(store.commitIfAbsent(second, NAME)).isEqualTo(CommitOutcome.ALREADY_COMMITTED);

        Path committed = store.pathOf(new LakeFile(HOUR_13, NAME));
        assertThat(committed).hasContent("first");
        assertThat(filesIn(committed.getParent())).as("the losing temporary is removed").containsExactly(NAME);
    }

    @Test
    void temporariesAreInvisibleToListingsAndParquetGlobs() throws Exception {
        TemporaryFile temp = write("in progress", "pulse.events.v1+2");

        assertThat(temp.name()).startsWith(".").doesNotEndWith(".parquet");
        assertThat(store.listCommitted("events")).isEmpty();
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duck.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM glob('" + root + "/events/**/*.parquet')")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isZero();
        }
    }

    @Test
    void deletesOnlyTheTemporariesOfTheGivenOwners() throws IOException {
        write("p2", "pulse.events.v1+2");
        write("p20", "pulse.events.v1+20");
        store.commitIfAbsent(write("committed", "pulse.events.v1+2"), NAME);

        assertThat(store.deleteTemporaries("events", List.of("pulse.events.v1+2"))).isEqualTo(1);

        List<String> left = filesIn(root.resolve(HOUR_13.relativePath()));
        assertThat(left).hasSize(2).contains(NAME);
        assertThat(left).anyMatch(name -> name.startsWith(".pulse.events.v1+20."));
    }

    @Test
    void discardRemovesATemporary() throws IOException {
        TemporaryFile temp = write("abandoned", "pulse.events.v1+2");

        store.discard(temp);
        store.discard(temp); // already gone: fine

        assertThat(filesIn(root.resolve(HOUR_13.relativePath()))).isEmpty();
    }

    @Test
    void committingAVanishedTemporaryFailsNamingIt() throws IOException {
        TemporaryFile temp = write("x", "pulse.events.v1+2");
        store.deleteTemporaries("events", List.of("pulse.events.v1+2"));

        assertThatThrownBy(() -> store.commitIfAbsent(temp, NAME))
                .isInstanceOf(LakeStoreException.class)
                .hasMessageContaining(temp.name())
                .hasMessageContaining("the temporary file is gone");
    }

    @Test
    void listingIgnoresHiddenAndUnderscoreFilesAndDirectories() throws IOException {
        store.commitIfAbsent(write("x", "pulse.events.v1+2"), NAME);
        Files.createDirectories(root.resolve("events/_spark_metadata"));
        Files.writeString(root.resolve("events/_spark_metadata/0"), "x");
        Files.writeString(root.resolve("events/_SUCCESS"), "");

        assertThat(store.listCommitted("events")).containsExactly(new LakeFile(HOUR_13, NAME));
        assertThat(store.listCommitted("no-such-dataset")).isEmpty();
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

    private TemporaryFile write(String content, String owner) throws IOException {
        TemporaryFile temp = store.createTemporary(HOUR_13, owner);
        try (OutputStream out = store.openForWrite(temp)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return temp;
    }

    private static List<String> filesIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
