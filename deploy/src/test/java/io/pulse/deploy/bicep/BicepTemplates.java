package io.pulse.deploy.bicep;

import io.pulse.deploy.k8s.ProjectRoot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every Bicep file under deploy/bicep, parsed. */
record BicepTemplates(Path dir, Map<Path, BicepFile> files) {

    static BicepTemplates load() {
        Path dir = ProjectRoot.get().resolve("deploy/bicep");
        Map<Path, BicepFile> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.filter(p -> p.toString().endsWith(".bicep")).toList()) {
                files.put(p.toAbsolutePath().normalize(), BicepParser.parse(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return new BicepTemplates(dir, files);
    }

    BicepFile main() {
        return file("main.bicep");
    }

    /** A file by its path relative to deploy/bicep, e.g. {@code modules/storage.bicep}. */
    BicepFile file(String relative) {
        BicepFile f = files.get(dir.resolve(relative).toAbsolutePath().normalize());
        if (f == null) {
            throw new IllegalArgumentException("no Bicep file " + relative + " under " + dir);
        }
        return f;
    }

    /** The file a module declaration of {@code caller} points to (relative to the caller's directory). */
    Path target(BicepFile caller, BicepFile.Module module) {
        return caller.path().toAbsolutePath().getParent().resolve(module.path()).normalize();
    }

    List<BicepFile> all() {
        return List.copyOf(files.values());
    }
}
