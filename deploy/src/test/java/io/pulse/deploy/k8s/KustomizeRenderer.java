package io.pulse.deploy.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for exactly the fields Pulse's manifests use:
 * {@code resources} (files and directories), {@code namespace}, {@code images}, {@code replicas} and
 * {@code patches} (strategic-merge files by path). CI machines have no kubectl; any other field fails, naming it,
 * so the renderer can never silently ignore what kustomize would apply.
 */
public final class KustomizeRenderer {
    private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "resources", "namespace", "images", "replicas", "patches");
    private static final Set<String> IMAGE_FIELDS = Set.of("name", "newName", "newTag");
    private static final Set<String> REPLICA_FIELDS = Set.of("name", "count");
    private static final Set<String> PATCH_FIELDS = Set.of("path");
    /** Kinds without a namespace among those Pulse declares; every other kind gets the kustomization's namespace. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace");
    private static final Set<String> SCALABLE = Set.of("Deployment", "StatefulSet", "ReplicaSet");

    private static final YAMLMapper YAML = new YAMLMapper();

    private KustomizeRenderer() {
    }

    /** The documents {@code kubectl kustomize dir} would print, in resource order. */
    public static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        ObjectNode k = readSingle(file);
        for (Iterator<String> names = k.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(file + ": kustomization field '" + name
                        + "' is not supported by the test renderer (supported: " + FIELDS + ")");
            }
        }
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode resource : array(k, "resources", file)) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                docs.addAll(render(path));
            } else {
                docs.addAll(readAll(path));
            }
        }
        for (JsonNode patchRef : array(k, "patches", file)) {
            checkFields(patchRef, PATCH_FIELDS, file, "patches");
            Path path = dir.resolve(patchRef.get("path").asText()).normalize();
            for (ObjectNode patch : readAll(path)) {
                StrategicMergePatch.apply(target(docs, patch, path), patch, path.toString());
            }
        }
        if (k.hasNonNull("namespace")) {
            String namespace = k.get("namespace").asText();
            docs.stream().filter(d -> !CLUSTER_SCOPED.contains(d.path("kind").asText()))
                    .forEach(d -> ((ObjectNode) d.get("metadata")).put("namespace", namespace));
        }
        for (JsonNode image : array(k, "images", file)) {
            checkFields(image, IMAGE_FIELDS, file, "images");
            docs.forEach(d -> retag(d, image));
        }
        for (JsonNode replicas : array(k, "replicas", file)) {
            checkFields(replicas, REPLICA_FIELDS, file, "replicas");
            String name = replicas.get("name").asText();
            List<ObjectNode> targets = docs.stream()
                    .filter(d -> SCALABLE.contains(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
                    .toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException(file + ": replicas names '" + name + "', which is no Deployment or StatefulSet");
            }
            targets.forEach(d -> ((ObjectNode) d.get("spec")).put("replicas", replicas.get("count").asInt()));
        }
        return docs;
    }

    private static ObjectNode target(List<ObjectNode> docs, ObjectNode patch, Path where) {
        String kind = patch.path("kind").asText();
        String name = patch.path("metadata").path("name").asText();
        return docs.stream()
                .filter(d -> kind.equals(d.path("kind").asText()) && name.equals(d.path("metadata").path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(where + ": the patch targets " + kind + "/" + name + ", which no resource declares"));
    }

    /** kustomize's image transformer: containers whose image is {@code name}, with or without a tag, get newName:newTag. */
    private static void retag(ObjectNode doc, JsonNode image) {
        String name = image.get("name").asText();
        JsonNode podSpec = doc.path("spec").path("template").path("spec");
        for (String list : List.of("containers", "initContainers")) {
            for (JsonNode container : podSpec.path(list)) {
                String current = container.path("image").asText();
                int colon = current.lastIndexOf(':');
                String currentName = colon > current.lastIndexOf('/') ? current.substring(0, colon) : current;
                if (currentName.equals(name)) {
                    String newName = image.hasNonNull("newName") ? image.get("newName").asText() : currentName;
                    String tag = image.hasNonNull("newTag") ? ":" + image.get("newTag").asText() : current.substring(currentName.length());
                    ((ObjectNode) container).put("image", newName + tag);
                }
            }
        }
    }

    private static void checkFields(JsonNode entry, Set<String> allowed, Path file, String section) {
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(file + ": field '" + name + "' of " + section
                        + " is not supported by the test renderer (supported: " + allowed + ")");
            }
        }
    }

    private static Iterable<JsonNode> array(ObjectNode k, String field, Path file) {
        JsonNode node = k.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(file + ": '" + field + "' must be a list");
        }
        return (ArrayNode) node;
    }

    private static ObjectNode readSingle(Path file) {
        List<ObjectNode> docs = readAll(file);
        if (docs.size() != 1) {
            throw new IllegalArgumentException(file + ": expected one YAML document, found " + docs.size());
        }
        return docs.get(0);
    }

    /** Every non-empty document of a YAML file, each a mapping. */
    static List<ObjectNode> readAll(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        List<ObjectNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc == null || doc.isNull() || doc.isMissingNode() || doc.isEmpty() && !doc.isObject()) {
                    continue;
                }
                if (!doc.isObject()) {
                    throw new IllegalArgumentException(file + ": a YAML document is not a mapping");
                }
                docs.add((ObjectNode) doc);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    /** For error messages: "Kind/name". */
    public static String id(JsonNode doc) {
        return doc.path("kind").asText("?") + "/" + doc.path("metadata").path("name").asText("?");
    }
}
