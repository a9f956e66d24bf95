package io.pulse.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetPersistentVolumeClaimRetentionPolicy;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.deploy.k8s.Manifests.Workload;
import io.pulse.ingest.delivery.DeliverySettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each workload running the ingest component keeps what its HTTP 2xx promised: the outbox (resolved from the
 * real configuration the manifests give the container, as the launcher resolves it: {@link DeliverySettings#from})
 * and the data directory (the connectors' positions and ledgers). Both must be on a claim of the pod's own that
 * outlives the pod: a StatefulSet's volumeClaimTemplate that the StatefulSet retains when scaled down or deleted.
 * An emptyDir, or a Deployment's volume, dies with the pod the autoscaler removes during an Event Hubs outage.
 */
final class IngestOutboxStorage {
    static final String RETAIN = "Retain";

    private IngestOutboxStorage() {
    }

    /** The workloads whose container runs ingest: {@code serve} with ingest among its components, or without --components (all). */
    static List<Workload> ingestWorkloads(Manifests manifests) {
        return manifests.workloads().stream().filter(w -> {
            List<String> components = WorkloadConfig.of(manifests, w, w.name() + "-0").components();
            return components.isEmpty() || components.contains("ingest");
        }).toList();
    }

    /** Every way an accepted event could be lost with its pod, one message each naming workload, path and volume; empty when none. */
    static List<String> problems(Manifests manifests) {
        List<String> problems = new ArrayList<>();
        for (Workload w : ingestWorkloads(manifests)) {
            WorkloadConfig wc = WorkloadConfig.of(manifests, w, w.name() + "-0");
            Container container = wc.container();
            PulseConfig config = wc.load();
            Map<String, Path> paths = Map.of(
                    "outbox (" + ConfigKeys.INGEST_OUTBOX_DIR + ")", DeliverySettings.from(config).outboxDir(),
                    "data dir (" + ConfigKeys.DATA_DIR + ")", config.dataDir());
            paths.forEach((what, path) -> {
                MountedVolume volume = MountedVolume.holding(w, container, path);
                String where = w + " keeps its " + what + " " + path + " on " + volume;
                if (volume.claimTemplate().isEmpty()) {
                    problems.add(where + ": it is lost with the pod; it must be a StatefulSet volumeClaimTemplate (one retained claim per pod)");
                }
                if (Boolean.TRUE.equals(volume.mount().getReadOnly())) {
                    problems.add(where + ": the mount is read-only");
                }
            });
            if (w.object() instanceof StatefulSet s) {
                StatefulSetPersistentVolumeClaimRetentionPolicy policy = s.getSpec().getPersistentVolumeClaimRetentionPolicy();
                String whenScaled = policy == null ? null : policy.getWhenScaled();
                String whenDeleted = policy == null ? null : policy.getWhenDeleted();
                if (!RETAIN.equals(whenScaled) || !RETAIN.equals(whenDeleted)) {
                    problems.add(w + ": persistentVolumeClaimRetentionPolicy must say whenScaled: Retain and whenDeleted: Retain, so that a"
                            + " removed pod's outbox waits for its ordinal to return (got whenScaled=" + whenScaled + ", whenDeleted=" + whenDeleted + ")");
                }
            }
        }
        return problems;
    }
}
