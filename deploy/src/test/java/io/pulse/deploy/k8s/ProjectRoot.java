package io.pulse.deploy.k8s;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, found from wherever Maven or an IDE runs the tests: the directory holding pom.xml and deploy/. */
public final class ProjectRoot {
    private ProjectRoot() {
    }

    public static Path get() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("deploy"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no directory holding pom.xml and deploy/ above " + start);
    }
}
