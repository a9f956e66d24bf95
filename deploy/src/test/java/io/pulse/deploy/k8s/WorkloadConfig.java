package io.pulse.deploy.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.pulse.common.config.PulseConfig;
import io.pulse.deploy.docker.DockerImage;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What a Pulse container in a workload would start with: its arguments, the configuration file its
 * {@code --config} argument names (found through the volume mount to the ConfigMap key), and its environment;
 * and the PulseConfig the real loader makes of them.
 */
record WorkloadConfig(Manifests.Workload workload, Container container, List<String> args, Map<String, String> file,
                      Map<String, String> env) {

    /** The image's ENV, part of every container's environment. */
    static Map<String, String> imageEnv() {
        return DockerImage.dockerfile().finalStage().env();
    }

    static WorkloadConfig of(Manifests manifests, Manifests.Workload workload, String podName) {
        List<Container> containers = workload.template().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new IllegalArgumentException(workload + ": expected one container, found " + containers.size());
        }
        Container container = containers.get(0);
        List<String> args = container.getArgs();
        return new WorkloadConfig(workload, container, args, configFile(manifests, workload, container, args),
                PodEnvironment.of(manifests, workload.toString(), container, podName, imageEnv()));
    }

    PulseConfig load() {
        return PulseConfig.load(file, env, Map.of());
    }

    /** The value after {@code --components}, split; empty when the option is absent (all components). */
    List<String> components() {
        int i = args.indexOf("--components");
        return i < 0 || i + 1 >= args.size() ? List.of() : List.of(args.get(i + 1).split(","));
    }

    private static Map<String, String> configFile(Manifests manifests, Manifests.Workload workload, Container container, List<String> args) {
        int i = args.indexOf("--config");
        if (i < 0 || i + 1 >= args.size()) {
            throw new IllegalArgumentException(workload + ": no --config FILE argument in " + args);
        }
        Path file = Path.of(args.get(i + 1));
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> Path.of(m.getMountPath()).equals(file.getParent()) && m.getSubPath() == null)
                .findFirst()
                .orElseThrow(() -> new NoSuchElementException(workload + ": no volume is mounted at " + file.getParent() + " for --config " + file));
        Volume volume = workload.template().getSpec().getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
                .orElseThrow(() -> new NoSuchElementException(workload + ": volume " + mount.getName() + " is not declared"));
        if (volume.getConfigMap() == null || volume.getConfigMap().getItems() != null && !volume.getConfigMap().getItems().isEmpty()) {
            throw new IllegalArgumentException(workload + ": volume " + volume.getName() + " at " + mount.getMountPath()
                    + " must be a whole ConfigMap to hold " + file.getFileName());
        }
        ConfigMap map = manifests.get(ConfigMap.class, volume.getConfigMap().getName());
        String text = map.getData() == null ? null : map.getData().get(file.getFileName().toString());
        if (text == null) {
            throw new NoSuchElementException(workload + ": ConfigMap " + map.getMetadata().getName() + " has no key " + file.getFileName()
                    + ", so " + file + " would not exist");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> props = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k)));
        return props;
    }
}
