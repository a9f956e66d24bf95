package io.pulse.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The subset of Kubernetes' strategic merge patch that the overlays use: maps merge key by key (null deletes),
 * lists whose patch strategy is "merge" merge element by element on their merge key, and the lists known to be
 * replaced are replaced. Any other list, and any {@code $patch}-style directive, is refused by name rather than
 * merged in a way kustomize might not.
 */
final class StrategicMergePatch {
    /** List field to its merge key, as declared in the Kubernetes API (patchStrategy=merge). */
    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "topologySpreadConstraints", "topologyKey");

    /** Lists without a patch strategy: a patch replaces them whole. */
    private static final Set<String> REPLACED = Set.of(
            "args", "command", "volumeClaimTemplates", "accessModes", "preferredDuringSchedulingIgnoredDuringExecution",
            "requiredDuringSchedulingIgnoredDuringExecution", "policyTypes", "drop");

    private StrategicMergePatch() {
    }

    /** Applies {@code patch} to {@code target} in place; {@code where} names the patch in errors. */
    static void apply(ObjectNode target, ObjectNode patch, String where) {
        mergeObject(target, patch, where, "");
    }

    private static void mergeObject(ObjectNode target, ObjectNode patch, String where, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            String fieldPath = path + "/" + name;
            JsonNode value = field.getValue();
            if (name.startsWith("$")) {
                throw new IllegalArgumentException(where + ": directive '" + name + "' at " + fieldPath
                        + " is not supported by the test renderer");
            }
            JsonNode existing = target.get(name);
            if (value.isNull()) {
                target.remove(name);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                mergeObject((ObjectNode) existing, (ObjectNode) value, where, fieldPath);
            } else if (value.isArray()) {
                target.set(name, mergeList(name, existing, (ArrayNode) value, where, fieldPath));
            } else {
                target.set(name, value.deepCopy());
            }
        }
    }

    private static JsonNode mergeList(String name, JsonNode existing, ArrayNode patch, String where, String path) {
        String key = MERGE_KEYS.get(name);
        if (key == null) {
            if (!REPLACED.contains(name)) {
                throw new IllegalArgumentException(where + ": the list " + path
                        + " has no known patch strategy in the test renderer (add it to StrategicMergePatch)");
            }
            return patch.deepCopy();
        }
        ArrayNode merged = existing != null && existing.isArray() ? ((ArrayNode) existing).deepCopy() : patch.arrayNode();
        for (JsonNode element : patch) {
            JsonNode id = element.get(key);
            if (!element.isObject() || id == null) {
                throw new IllegalArgumentException(where + ": an element of " + path + " lacks its merge key '" + key + "'");
            }
            ObjectNode match = null;
            for (JsonNode candidate : merged) {
                if (id.equals(candidate.get(key))) {
                    match = (ObjectNode) candidate;
                }
            }
            if (match == null) {
                merged.add(element.deepCopy());
            } else {
                mergeObject(match, (ObjectNode) element, where, path + "[" + key + "=" + id.asText() + "]");
            }
        }
        return merged;
    }
}
