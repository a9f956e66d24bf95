package io.pulse.deploy.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * A rendered overlay parsed strictly against the Kubernetes object model (fabric8): each document becomes the
 * model class of its apiVersion and kind, and any field the model does not know fails the parse, named by
 * document, object and path. Kinds without a fabric8 model (the CSI driver's SecretProviderClass) are kept as
 * {@link GenericKubernetesResource} for explicit checks.
 */
public final class Manifests {
    private static final Map<String, Class<? extends HasMetadata>> MODELS = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/ServiceAccount", ServiceAccount.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class);
    private static final Map<String, String> GENERIC = Map.of(
            "secrets-store.csi.x-k8s.io/v1/SecretProviderClass", "the Secrets Store CSI driver's class");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String source;
    private final List<ObjectNode> documents;
    private final List<HasMetadata> objects;

    private Manifests(String source, List<ObjectNode> documents, List<HasMetadata> objects) {
        this.source = source;
        this.documents = documents;
        this.objects = objects;
    }

    /** Renders the kustomization in {@code dir} and parses every document strictly. */
    public static Manifests render(Path dir) {
        return parse(dir.toString(), KustomizeRenderer.render(dir));
    }

    /** Parses rendered documents; {@code source} names them in errors. */
    public static Manifests parse(String source, List<ObjectNode> documents) {
        List<HasMetadata> objects = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
            ObjectNode doc = documents.get(i);
            String where = source + " document " + (i + 1) + " (" + KustomizeRenderer.id(doc) + ")";
            String type = doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
            try {
                if (GENERIC.containsKey(type)) {
                    objects.add(JSON.treeToValue(doc, GenericKubernetesResource.class));
                    continue;
                }
                Class<? extends HasMetadata> model = MODELS.get(type);
                if (model == null) {
                    problems.add(where + ": no model for " + type + " in the test (known: " + MODELS.keySet() + ")");
                    continue;
                }
                HasMetadata object = JSON.treeToValue(doc, model);
                UnknownFields.in(object).forEach(path -> problems.add(where + ": unknown field " + path));
                objects.add(object);
            } catch (Exception e) {
                problems.add(where + ": does not parse as " + type + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        return new Manifests(source, List.copyOf(documents), List.copyOf(objects));
    }

    public String source() {
        return source;
    }

    /** The documents as rendered, before parsing (to check YAML scalar types the model coerces). */
    public List<ObjectNode> documents() {
        return documents;
    }

    public List<HasMetadata> all() {
        return objects;
    }

    public <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T get(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(source + ": no " + type.getSimpleName() + " named " + name));
    }

    public GenericKubernetesResource generic(String kind, String name) {
        return all(GenericKubernetesResource.class).stream()
                .filter(o -> kind.equals(o.getKind()) && name.equals(o.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(source + ": no " + kind + " named " + name));
    }

    /** Every StatefulSet and Deployment, by name. */
    public List<Workload> workloads() {
        List<Workload> w = new ArrayList<>();
        all(StatefulSet.class).forEach(s -> w.add(new Workload("StatefulSet", s.getMetadata().getName(), s.getSpec().getSelector(),
                s.getSpec().getTemplate(), s.getSpec().getReplicas(), s)));
        all(Deployment.class).forEach(d -> w.add(new Workload("Deployment", d.getMetadata().getName(), d.getSpec().getSelector(),
                d.getSpec().getTemplate(), d.getSpec().getReplicas(), d)));
        return w;
    }

    public Workload workload(String name) {
        return workloads().stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException(source + ": no workload named " + name));
    }

    /** A StatefulSet or Deployment: what the wiring checks need of either. */
    public record Workload(String kind, String name, io.fabric8.kubernetes.api.model.LabelSelector selector,
                           PodTemplateSpec template, Integer replicas, HasMetadata object) {
        public Map<String, String> podLabels() {
            Map<String, String> labels = template.getMetadata().getLabels();
            return labels == null ? Map.of() : labels;
        }

        /** Whether matchLabels (the only selector form Pulse uses) selects this workload's pods. */
        public boolean selectedBy(Map<String, String> matchLabels) {
            return matchLabels != null && podLabels().entrySet().containsAll(matchLabels.entrySet());
        }

        @Override
        public String toString() {
            return kind + "/" + name;
        }
    }
}
