package io.pulse.deploy.k8s;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds the fields Kubernetes would reject but fabric8 accepts: its model keeps any field it does not know in
 * an {@code additionalProperties} map instead of failing, so a misspelled {@code readinesProbe} parses. This walks
 * the parsed object graph (getters returning model objects, lists and maps) and reports every such field by path.
 */
final class UnknownFields {
    private UnknownFields() {
    }

    /** Paths such as {@code spec.template.spec.containers[0].readinesProbe}; empty when every field is known. */
    static List<String> in(KubernetesResource root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<String> found) {
        if (value instanceof KubernetesResource resource) {
            Method[] getters = resource.getClass().getMethods();
            java.util.Arrays.sort(getters, Comparator.comparing(Method::getName));
            for (Method getter : getters) {
                if (!isGetter(getter)) {
                    continue;
                }
                Object child = invoke(getter, resource, path);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (child instanceof Map<?, ?> extra) {
                        extra.keySet().forEach(k -> found.add(join(path, String.valueOf(k))));
                    }
                } else {
                    walk(child, join(path, property(getter)), found);
                }
            }
        } else if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "[" + k + "]", found));
        }
    }

    private static boolean isGetter(Method m) {
        Class<?> type = m.getReturnType();
        return m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()) && m.getName().startsWith("get")
                && (KubernetesResource.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type));
    }

    private static Object invoke(Method getter, Object target, String path) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + join(path, property(getter)) + " of " + target.getClass().getSimpleName(), e);
        }
    }

    private static String property(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
