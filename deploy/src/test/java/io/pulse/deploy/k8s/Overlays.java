package io.pulse.deploy.k8s;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The overlays under deploy/k8s/overlays, rendered and parsed once per test run. */
final class Overlays {
    /** Every overlay the tests cover; a new overlay directory must be added here (OverlaysTest checks). */
    static final List<String> NAMES = List.of("dev", "prod");

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Overlays() {
    }

    static Path dir(String name) {
        return ProjectRoot.get().resolve("deploy/k8s/overlays").resolve(name);
    }

    static Manifests rendered(String name) {
        return RENDERED.computeIfAbsent(name, n -> Manifests.render(dir(n)));
    }
}
