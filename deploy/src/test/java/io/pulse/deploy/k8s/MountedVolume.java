package io.pulse.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pulse.deploy.k8s.Manifests.Workload;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The volume a path inside a workload's container lands on, found the way the kubelet mounts: the mount with the
 * longest mount path containing it (a mount at /var/lib/pulse/outbox shadows one at /var/lib/pulse). The volume is
 * either one of the pod's volumes or, in a StatefulSet, one of its volumeClaimTemplates (one claim per pod).
 */
record MountedVolume(Workload workload, VolumeMount mount, Optional<Volume> podVolume, Optional<PersistentVolumeClaim> claimTemplate) {

    /** The volume holding {@code path} in the workload's only container; fails naming the path when nothing is mounted there. */
    static MountedVolume holding(Workload workload, Container container, Path path) {
        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> path.normalize().startsWith(Path.of(m.getMountPath()).normalize()))
                .max(Comparator.comparingInt(m -> Path.of(m.getMountPath()).normalize().getNameCount()))
                .orElseThrow(() -> new NoSuchElementException(workload + ": no volume is mounted over " + path
                        + ", so it would be on the container's (read-only) root filesystem"));
        Optional<Volume> podVolume = workload.template().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals(mount.getName())).findFirst();
        List<PersistentVolumeClaim> templates = workload.object() instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null
                ? s.getSpec().getVolumeClaimTemplates() : List.of();
        Optional<PersistentVolumeClaim> claim = templates.stream().filter(t -> t.getMetadata().getName().equals(mount.getName())).findFirst();
        if (podVolume.isEmpty() && claim.isEmpty()) {
            throw new NoSuchElementException(workload + ": the mount at " + mount.getMountPath() + " names volume " + mount.getName()
                    + ", which is neither a pod volume nor a volumeClaimTemplate");
        }
        return new MountedVolume(workload, mount, podVolume, claim);
    }

    /** What backs the volume, for messages: "volumeClaimTemplate", "emptyDir", "persistentVolumeClaim", "configMap", ... */
    String kind() {
        if (claimTemplate.isPresent()) {
            return "volumeClaimTemplate";
        }
        Volume v = podVolume.orElseThrow();
        return v.getEmptyDir() != null ? "emptyDir"
                : v.getPersistentVolumeClaim() != null ? "persistentVolumeClaim"
                : v.getConfigMap() != null ? "configMap"
                : v.getSecret() != null ? "secret"
                : v.getCsi() != null ? "csi"
                : v.getEphemeral() != null ? "ephemeral"
                : "other";
    }

    /** The bytes the volume offers: an emptyDir's size limit or a claim template's storage request; empty if unbounded or unknown. */
    Optional<Long> capacityBytes() {
        Quantity q = claimTemplate.map(c -> c.getSpec().getResources() == null || c.getSpec().getResources().getRequests() == null ? null
                        : c.getSpec().getResources().getRequests().get("storage"))
                .orElseGet(() -> podVolume.map(Volume::getEmptyDir).map(e -> e.getSizeLimit()).orElse(null));
        return Optional.ofNullable(q).map(quantity -> Quantity.getAmountInBytes(quantity).longValueExact());
    }

    @Override
    public String toString() {
        return "volume " + mount.getName() + " (" + kind() + ") mounted at " + mount.getMountPath();
    }
}
