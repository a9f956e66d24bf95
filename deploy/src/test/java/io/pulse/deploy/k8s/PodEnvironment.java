package io.pulse.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment a container would see, built from its manifest the way the kubelet builds it: the image's
 * ENV, then the container's env in order, {@code $(VAR)} expanded from variables declared earlier, downward-API
 * fields from a given pod name, ConfigMap keys from the manifests, and Secret keys (which only exist in Key
 * Vault) replaced by realistic fakes. A reference that would leave the pod stuck (missing key, missing object)
 * fails here, naming it.
 */
final class PodEnvironment {
    static final String NAMESPACE = "pulse";
    /** What Key Vault would hold, shaped like the real values so that PulseConfig validates them. */
    static final Map<String, String> FAKE_SECRETS = Map.of(
            "eventhubs-connection-string",
            "Endpoint=sb://pulse-test.servicebus.windows.net/;SharedAccessKeyName=pulse;SharedAccessKey=c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seS0wMTIzNDU2Nzg=",
            "lake-pseudonymisation-key", "test-only-pseudonymisation-key-7f3a9c1e5b");

    private PodEnvironment() {
    }

    /** {@code where} (the workload) prefixes errors. */
    static Map<String, String> of(Manifests manifests, String where, Container container, String podName, Map<String, String> imageEnv) {
        Map<String, String> env = new LinkedHashMap<>(imageEnv);
        Map<String, String> declared = new LinkedHashMap<>();
        for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
            String value = var.getValueFrom() == null ? expand(var.getValue() == null ? "" : var.getValue(), declared)
                    : resolve(manifests, where + " env " + var.getName(), var.getValueFrom(), podName);
            declared.put(var.getName(), value);
            env.put(var.getName(), value);
        }
        return env;
    }

    /** The Secrets the SecretProviderClasses sync, each with its keys (their secretObjects' data keys). */
    static Map<String, List<String>> syncedSecretKeys(Manifests manifests) {
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        manifests.all(GenericKubernetesResource.class).stream().filter(g -> "SecretProviderClass".equals(g.getKind()))
                .forEach(spc -> secrets.putAll(syncedBy(spc)));
        return secrets;
    }

    /** The Secrets one SecretProviderClass syncs, each with its keys. */
    static Map<String, List<String>> syncedBy(GenericKubernetesResource spc) {
        Map<String, List<String>> secrets = new LinkedHashMap<>();
        List<Map<String, Object>> objects = spc.get("spec", "secretObjects");
        for (Map<String, Object> secret : objects == null ? List.<Map<String, Object>>of() : objects) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> data = (List<Map<String, Object>>) secret.get("data");
            secrets.put((String) secret.get("secretName"), data.stream().map(d -> (String) d.get("key")).toList());
        }
        return secrets;
    }

    private static String resolve(Manifests manifests, String name, EnvVarSource source, String podName) {
        if (source.getFieldRef() != null) {
            return switch (source.getFieldRef().getFieldPath()) {
                case "metadata.name" -> podName;
                case "metadata.namespace" -> NAMESPACE;
                default -> throw new IllegalArgumentException(name + ": fieldRef " + source.getFieldRef().getFieldPath() + " is not simulated");
            };
        }
        if (source.getSecretKeyRef() != null) {
            String secret = source.getSecretKeyRef().getName();
            String key = source.getSecretKeyRef().getKey();
            List<String> keys = syncedSecretKeys(manifests).get(secret);
            if (keys == null) {
                throw new IllegalArgumentException(name + ": Secret " + secret + " is synced by no SecretProviderClass");
            }
            if (!keys.contains(key)) {
                throw new IllegalArgumentException(name + ": Secret " + secret + " has no key " + key + " (synced keys: " + keys + ")");
            }
            String fake = FAKE_SECRETS.get(key);
            if (fake == null) {
                throw new IllegalArgumentException(name + ": no fake value for secret key " + key + " in the test");
            }
            return fake;
        }
        if (source.getConfigMapKeyRef() != null) {
            ConfigMap map = manifests.get(ConfigMap.class, source.getConfigMapKeyRef().getName());
            String value = map.getData() == null ? null : map.getData().get(source.getConfigMapKeyRef().getKey());
            if (value == null) {
                throw new IllegalArgumentException(name + ": ConfigMap " + map.getMetadata().getName() + " has no key "
                        + source.getConfigMapKeyRef().getKey());
            }
            return value;
        }
        throw new IllegalArgumentException(name + ": valueFrom " + source + " is not simulated");
    }

    /** Kubernetes' dependent variables: $(VAR) becomes VAR's value if declared earlier, $$ is a literal $. */
    static String expand(String value, Map<String, String> declared) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '(' && value.indexOf(')', i) > 0) {
                int end = value.indexOf(')', i);
                String ref = value.substring(i + 2, end);
                out.append(declared.containsKey(ref) ? declared.get(ref) : value.substring(i, end + 1));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
