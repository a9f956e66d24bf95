package io.pulse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rendered document is a valid object of its Kubernetes kind, with the names the other artifacts rely on. */
class ManifestSchemaTest {
    static Stream<String> overlays() {
        return Overlays.NAMES.stream();
    }

    @Test
    void everyOverlayDirectoryIsCovered() throws IOException {
        try (Stream<Path> dirs = Files.list(ProjectRoot.get().resolve("deploy/k8s/overlays"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrderElementsOf(Overlays.NAMES);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayRendersTheObjectsOfTheContract(String overlay) {
        Manifests m = Overlays.rendered(overlay);

        assertThat(m.all()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "Namespace/pulse",
                "ServiceAccount/pulse-insights", "ServiceAccount/pulse-ingest", "ServiceAccount/pulse-lake-sink",
                "ConfigMap/pulse-config", "SecretProviderClass/pulse-keyvault",
                "StatefulSet/pulse-insights", "Service/pulse-insights-headless", "Service/pulse-insights",
                "StatefulSet/pulse-ingest", "Service/pulse-ingest-headless", "Service/pulse-ingest", "Deployment/pulse-lake-sink",
                "HorizontalPodAutoscaler/pulse-ingest", "HorizontalPodAutoscaler/pulse-lake-sink",
                "PodDisruptionBudget/pulse-insights", "PodDisruptionBudget/pulse-ingest", "PodDisruptionBudget/pulse-lake-sink",
                "NetworkPolicy/pulse-default-deny-ingress", "NetworkPolicy/pulse-insights-ingress", "NetworkPolicy/pulse-ingest-ingress",
                "NetworkPolicy/pulse-metrics-scrape", "NetworkPolicy/pulse-egress");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyNamespacedObjectIsInNamespacePulse(String overlay) {
        for (HasMetadata o : Overlays.rendered(overlay).all()) {
            String expected = o.getKind().equals("Namespace") ? null : "pulse";
            assertThat(o.getMetadata().getNamespace()).as(o.getKind() + "/" + o.getMetadata().getName()).isEqualTo(expected);
        }
    }

    /** The model coerces 7070 or true to a string; the API server rejects them where a string is required. */
    @ParameterizedTest
    @MethodSource("overlays")
    void valuesKubernetesRequiresAsStringsAreYamlStrings(String overlay) {
        List<String> notStrings = new ArrayList<>();
        for (ObjectNode doc : Overlays.rendered(overlay).documents()) {
            String id = KustomizeRenderer.id(doc);
            collectNonStrings(doc.path("metadata").path("labels"), id + " metadata.labels", notStrings);
            collectNonStrings(doc.path("metadata").path("annotations"), id + " metadata.annotations", notStrings);
            collectNonStrings(doc.path("data"), id + " data", notStrings);
            collectNonStrings(doc.path("spec").path("parameters"), id + " spec.parameters", notStrings);
            JsonNode template = doc.path("spec").path("template");
            collectNonStrings(template.path("metadata").path("labels"), id + " pod labels", notStrings);
            collectNonStrings(template.path("metadata").path("annotations"), id + " pod annotations", notStrings);
            for (JsonNode container : template.path("spec").path("containers")) {
                for (JsonNode env : container.path("env")) {
                    if (env.has("value") && !env.get("value").isTextual()) {
                        notStrings.add(id + " env " + env.path("name").asText() + " = " + env.get("value"));
                    }
                }
                container.path("args").forEach(a -> {
                    if (!a.isTextual()) {
                        notStrings.add(id + " args " + a);
                    }
                });
            }
        }
        assertThat(notStrings).as("values that must be quoted").isEmpty();
    }

    @Test
    void aMisspelledFieldIsReportedWithItsDocumentObjectAndPath() {
        List<ObjectNode> docs = KustomizeRenderer.render(Overlays.dir("prod"));
        ObjectNode statefulSet = docs.stream().filter(d -> KustomizeRenderer.id(d).equals("StatefulSet/pulse-insights")).findFirst().orElseThrow();
        ObjectNode container = (ObjectNode) statefulSet.at("/spec/template/spec/containers/0");
        container.set("readinesProbe", container.get("readinessProbe"));
        ((ObjectNode) container.at("/resources")).put("limit", "oops");

        assertThatThrownBy(() -> Manifests.parse("prod", docs))
                .hasMessageContaining("(StatefulSet/pulse-insights): unknown field spec.template.spec.containers[0].readinesProbe")
                .hasMessageContaining("(StatefulSet/pulse-insights): unknown field spec.template.spec.containers[0].resources.limit");
    }

    @Test
    void aKindWithoutAModelIsRefused() throws IOException {
        ObjectNode cronJob = (ObjectNode) new YAMLMapper().readTree("apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: nightly}\n");

        assertThatThrownBy(() -> Manifests.parse("test", List.of(cronJob))).hasMessageContaining("(CronJob/nightly): no model for batch/v1/CronJob");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretProviderClassReadsKeyVaultWithWorkloadIdentityAndSyncsPulseSecrets(String overlay) {
        GenericKubernetesResource spc = Overlays.rendered(overlay).generic("SecretProviderClass", "pulse-keyvault");
        assertThat(spc.getAdditionalProperties()).as("top-level fields besides apiVersion, kind, metadata").containsOnlyKeys("spec");
        assertThat(UnknownFields.in(spc.getMetadata())).as("unknown metadata fields").isEmpty();
        Map<String, Object> spec = spc.get("spec");

        assertThat(spec).containsOnlyKeys("provider", "parameters", "secretObjects");
        assertThat(spec.get("provider")).isEqualTo("azure");
        Map<String, Object> parameters = spc.get("spec", "parameters");
        assertThat(parameters).containsOnlyKeys("usePodIdentity", "useVMManagedIdentity", "clientID", "keyvaultName", "tenantId", "objects");
        assertThat(parameters).containsEntry("usePodIdentity", "false").containsEntry("useVMManagedIdentity", "false");
        assertThat((String) parameters.get("clientID")).matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}");
        assertThat((String) parameters.get("tenantId")).matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}");
        assertThat((String) parameters.get("keyvaultName")).matches("[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]");

        List<String> vaultObjects = keyVaultObjectNames((String) parameters.get("objects"));
        List<Map<String, Object>> secretObjects = spc.get("spec", "secretObjects");
        assertThat(secretObjects).hasSize(1);
        Map<String, Object> secret = secretObjects.get(0);
        assertThat(secret).containsOnlyKeys("secretName", "type", "labels", "data").containsEntry("secretName", "pulse-secrets")
                .containsEntry("type", "Opaque");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> data = (List<Map<String, Object>>) secret.get("data");
        data.forEach(d -> assertThat(d).containsOnlyKeys("objectName", "key"));
        assertThat(data).extracting(d -> d.get("key")).containsExactlyInAnyOrder("eventhubs-connection-string", "lake-pseudonymisation-key");
        assertThat(data).extracting(d -> (String) d.get("objectName")).as("synced objects must be fetched from Key Vault")
                .allMatch(vaultObjects::contains);
    }

    /** The provider's "objects" parameter: YAML holding an array of YAML strings, each one Key Vault object. */
    private static List<String> keyVaultObjectNames(String objects) {
        YAMLMapper yaml = new YAMLMapper();
        try {
            List<String> names = new ArrayList<>();
            for (JsonNode entry : yaml.readTree(objects).path("array")) {
                JsonNode object = yaml.readTree(entry.asText());
                assertThat(object.path("objectType").asText()).as("Key Vault object " + object).isEqualTo("secret");
                names.add(object.path("objectName").asText());
            }
            assertThat(names).as("Key Vault objects").isNotEmpty();
            return names;
        } catch (IOException e) {
            throw new AssertionError("the SecretProviderClass parameter 'objects' is not YAML: " + e.getMessage(), e);
        }
    }

    private static void collectNonStrings(JsonNode map, String where, List<String> out) {
        map.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                out.add(where + "." + e.getKey() + " = " + e.getValue());
            }
        });
    }
}
