package io.pulse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test-side renderer does what kustomize does for the fields it supports, and refuses the rest by name. */
class KustomizeRendererTest {
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: main
                      image: pulse
                      args: ["serve", "--components", "ingest"]
                      env:
                        - name: A
                          value: "1"
                        - name: B
                          value: "2"
                    - name: sidecar
                      image: other:1.0
            ---
            apiVersion: v1
            kind: Namespace
            metadata:
              name: pulse
            """;

    @TempDir
    Path dir;
    Path base;

    @BeforeEach
    void writeBase() throws IOException {
        base = Files.createDirectories(dir.resolve("base"));
        Files.writeString(base.resolve("app.yaml"), DEPLOYMENT);
        Files.writeString(base.resolve("kustomization.yaml"), "namespace: pulse\nresources:\n  - app.yaml\n");
    }

    @Test
    void refusesAKustomizationFieldItDoesNotSupportNamingIt() throws IOException {
        Path overlay = overlay("resources: [../base]\ncommonLabels:\n  team: pulse\n");

        assertThatThrownBy(() -> KustomizeRenderer.render(overlay)).hasMessageContaining("kustomization field 'commonLabels' is not supported");
    }

    @Test
    void refusesAnUnsupportedFieldOfAnImageEntry() throws IOException {
        Path overlay = overlay("resources: [../base]\nimages:\n  - name: pulse\n    digest: sha256:abc\n");

        assertThatThrownBy(() -> KustomizeRenderer.render(overlay)).hasMessageContaining("field 'digest' of images is not supported");
    }

    @Test
    void setsTheNamespaceOnNamespacedObjectsOnly() {
        List<ObjectNode> docs = KustomizeRenderer.render(base);

        assertThat(docs.get(0).at("/metadata/namespace").asText()).isEqualTo("pulse");
        assertThat(docs.get(1).at("/metadata").has("namespace")).isFalse();
    }

    @Test
    void retagsOnlyContainersRunningTheNamedImage() throws IOException {
        Path overlay = overlay("resources: [../base]\nimages:\n  - name: pulse\n    newName: acr.example.io/pulse\n    newTag: \"1.2\"\n");

        JsonNode containers = KustomizeRenderer.render(overlay).get(0).at("/spec/template/spec/containers");

        assertThat(containers.get(0).get("image").asText()).isEqualTo("acr.example.io/pulse:1.2");
        assertThat(containers.get(1).get("image").asText()).isEqualTo("other:1.0");
    }

    @Test
    void setsReplicasAndFailsForAnUnknownWorkload() throws IOException {
        assertThat(KustomizeRenderer.render(overlay("resources: [../base]\nreplicas:\n  - name: app\n    count: 3\n")).get(0).at("/spec/replicas").asInt())
                .isEqualTo(3);
        Path wrong = overlay("resources: [../base]\nreplicas:\n  - name: nope\n    count: 3\n");
        assertThatThrownBy(() -> KustomizeRenderer.render(wrong)).hasMessageContaining("replicas names 'nope'");
    }

    @Test
    void patchMergesContainersAndEnvByNameAndReplacesArgs() throws IOException {
        Path overlay = overlay("resources: [../base]\npatches:\n  - path: patch.yaml\n");
        Files.writeString(overlay.resolve("patch.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: app
                spec:
                  template:
                    spec:
                      containers:
                        - name: main
                          args: ["serve"]
                          env:
                            - name: B
                              value: "20"
                            - name: C
                              value: "3"
                """);

        JsonNode main = KustomizeRenderer.render(overlay).get(0).at("/spec/template/spec/containers/0");

        assertThat(main.get("image").asText()).isEqualTo("pulse");
        assertThat(main.get("args")).hasSize(1);
        assertThat(main.get("env").findValuesAsText("name")).containsExactly("A", "B", "C");
        assertThat(main.get("env").findValuesAsText("value")).containsExactly("1", "20", "3");
    }

    @Test
    void patchOnAListWithoutAKnownStrategyIsRefused() throws IOException {
        Path overlay = overlay("resources: [../base]\npatches:\n  - path: patch.yaml\n");
        Files.writeString(overlay.resolve("patch.yaml"),
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n    spec:\n      tolerations: [{key: a}]\n");

        assertThatThrownBy(() -> KustomizeRenderer.render(overlay)).hasMessageContaining("/spec/template/spec/tolerations has no known patch strategy");
    }

    @Test
    void patchTargetingNoResourceFails() throws IOException {
        Path overlay = overlay("resources: [../base]\npatches:\n  - path: patch.yaml\n");
        Files.writeString(overlay.resolve("patch.yaml"), "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: app}\nspec: {replicas: 2}\n");

        assertThatThrownBy(() -> KustomizeRenderer.render(overlay)).hasMessageContaining("the patch targets StatefulSet/app, which no resource declares");
    }

    private Path overlay(String kustomization) throws IOException {
        Path overlay = Files.createDirectories(dir.resolve("overlay"));
        Files.writeString(overlay.resolve("kustomization.yaml"), kustomization);
        return overlay;
    }
}
