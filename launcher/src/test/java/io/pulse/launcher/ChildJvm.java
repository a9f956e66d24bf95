package io.pulse.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A main class of the test classpath in a JVM of its own, its output in a log file: the processes the crash drills
 * kill with SIGKILL (a JVM killed from inside cannot show what a real crash leaves behind).
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code mainClass} with {@code args}, a heap of at most {@code maxHeap} (e.g. {@code 256m}), stdout and stderr to {@code logFile}. */
    public static Process start(Path logFile, String maxHeap, Class<?> mainClass, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // small and quick to start: drills start many
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
    }

    /** What the child printed so far. */
    public static String log(Path logFile) {
        try {
            return Files.readString(logFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
