package io.pulse.deploy.docker;

import io.pulse.deploy.k8s.ProjectRoot;
import java.nio.file.Path;

/** Facts about the Pulse image that the Kubernetes manifests must agree with, read from deploy/docker/Dockerfile. */
public final class DockerImage {
    private DockerImage() {
    }

    public static Path dockerfilePath() {
        return ProjectRoot.get().resolve("deploy/docker/Dockerfile");
    }

    public static Dockerfile dockerfile() {
        return Dockerfile.parse(dockerfilePath());
    }

    /** The numeric user id of the final stage's USER ({@code 10001} or {@code 10001:10001}). */
    public static long userId() {
        String user = dockerfile().finalStage().last("USER")
                .orElseThrow(() -> new IllegalStateException("the final stage of the Dockerfile sets no USER")).arguments();
        String uid = user.split(":")[0];
        if (!uid.matches("\\d+")) {
            throw new IllegalStateException("the Dockerfile's USER must be numeric (Kubernetes' runAsNonRoot checks the id), got '" + user + "'");
        }
        return Long.parseLong(uid);
    }

    /** The single port the final stage EXPOSEs. */
    public static int exposedPort() {
        var exposes = dockerfile().finalStage().all("EXPOSE");
        if (exposes.size() != 1 || exposes.get(0).words().size() != 1) {
            throw new IllegalStateException("the Dockerfile must EXPOSE exactly one port, found " + exposes);
        }
        return Integer.parseInt(exposes.get(0).words().get(0).replace("/tcp", ""));
    }
}
