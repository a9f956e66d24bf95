package io.pulse.lake.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a local directory, and where the local store puts files. */
class LocalLakeStoreTest extends LakeStoreContractTest {
    @TempDir
    Path root;

    @Override
    protected LakeStore newStore() {
        return new LocalLakeStore(root);
    }

    @Override
    protected byte[] contentOf(LakeFile file) throws IOException {
        return Files.readAllBytes(((LocalLakeStore) store).pathOf(file));
    }

    @Override
    protected List<String> filesIn(LakeDirectory directory) throws IOException {
        try (var files = Files.list(root.resolve(directory.relativePath()))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Override
    protected void putFile(String relativePath, byte[] content) throws IOException {
        Path file = root.resolve(relativePath);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    @Override
    protected Path localCopy() {
        return root;
    }

    @Test
    void committedFilesLiveUnderTheirHivePartitionDirectories() throws IOException {
        store.commitIfAbsent(write("first", OWNER), NAME);

        Path committed = ((LocalLakeStore) store).pathOf(new LakeFile(HOUR_13, NAME));
        assertThat(committed).isEqualTo(root.resolve("events/tenant=contoso/date=2024-05-01/hour=13/" + NAME));
        assertThat(committed).hasContent("first");
    }
}
