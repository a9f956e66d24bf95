package io.pulse.topology.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Temporary directories for test drivers. */
final class TempDirs {
    private TempDirs() {
    }

    /** A new, empty directory for one driver's state stores. */
    static Path newStateDir() {
        try {
            return Files.createTempDirectory("pulse-stage-test-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a state directory for the test driver", e);
        }
    }

    /** Deletes a directory and whatever the driver left in it. */
    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path p : deepestFirst) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the test driver's state directory " + dir, e);
        }
    }
}
