package io.pulse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import io.pulse.common.topics.TopicCatalogue;
import io.pulse.deploy.docker.DockerImage;
import io.pulse.deploy.k8s.Manifests.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The objects of each rendered overlay refer to one another correctly: what kubectl apply would accept but leave broken. */
class ManifestWiringTest {
    /** JVM memory outside the heap: metaspace, code cache, thread stacks, direct buffers, GC structures. */
    static final long JVM_NON_HEAP_HEADROOM = 384L << 20;
    /** What of a disk's size the outbox may count on: ext4 reserves 5% for root, its metadata and journal a few more. */
    static final double USABLE_SHARE_OF_A_DISK = 0.9;

    static Stream<String> overlays() {
        return Overlays.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void workloadSelectorsMatchTheirPodTemplates(String overlay) {
        for (Workload w : Overlays.rendered(overlay).workloads()) {
            assertThat(w.selector().getMatchExpressions()).as(w + " selector expressions").isNullOrEmpty();
            assertThat(w.selector().getMatchLabels()).as(w + " selector").isNotEmpty();
            assertThat(w.selectedBy(w.selector().getMatchLabels())).as(w + " selector matches its pod labels " + w.podLabels()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void servicesSelectOneWorkloadAndTargetANamedContainerPort(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Service s : m.all(Service.class)) {
            List<Workload> selected = m.workloads().stream().filter(w -> w.selectedBy(s.getSpec().getSelector())).toList();
            assertThat(selected).as("workloads selected by Service " + s.getMetadata().getName()).hasSize(1);
            Container container = onlyContainer(selected.get(0));
            s.getSpec().getPorts().forEach(p -> assertThat(portNames(container))
                    .as("Service " + s.getMetadata().getName() + " targetPort").contains(p.getTargetPort().getStrVal()));
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void disruptionBudgetsAndAutoscalersTargetExistingWorkloads(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (PodDisruptionBudget pdb : m.all(PodDisruptionBudget.class)) {
            assertThat(m.workloads()).as("workloads selected by PodDisruptionBudget " + pdb.getMetadata().getName())
                    .filteredOn(w -> w.selectedBy(pdb.getSpec().getSelector().getMatchLabels())).hasSize(1);
        }
        assertThat(m.all(PodDisruptionBudget.class)).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrderElementsOf(m.workloads().stream().map(Workload::name).toList());
        for (HorizontalPodAutoscaler hpa : m.all(HorizontalPodAutoscaler.class)) {
            var ref = hpa.getSpec().getScaleTargetRef();
            Workload target = m.workload(ref.getName());
            assertThat(ref.getKind()).isEqualTo(target.kind());
            assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
            assertThat(target.replicas()).as(target + " replicas (the autoscaler owns them)").isNull();
            assertThat(hpa.getSpec().getMinReplicas()).isPositive().isLessThanOrEqualTo(hpa.getSpec().getMaxReplicas());
            assertThat(onlyContainer(target).getResources().getRequests()).as(target + " requests (CPU utilisation needs them)").containsKey("cpu");
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void lakeSinkNeverScalesBeyondThePartitionsOfTheEventsTopic(String overlay) {
        HorizontalPodAutoscaler hpa = Overlays.rendered(overlay).get(HorizontalPodAutoscaler.class, "pulse-lake-sink");

        assertThat(hpa.getSpec().getMaxReplicas()).isLessThanOrEqualTo(TopicCatalogue.EVENTS.partitions());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void networkPoliciesSelectWorkloadsAndOpenTheirContainerPorts(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        assertThat(m.all(NetworkPolicy.class)).as("a default-deny ingress policy").anySatisfy(p -> {
            assertThat(p.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(p.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
            assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
            assertThat(p.getSpec().getIngress()).isNullOrEmpty();
        });
        for (NetworkPolicy p : m.all(NetworkPolicy.class)) {
            String name = "NetworkPolicy " + p.getMetadata().getName();
            Map<String, String> podSelector = p.getSpec().getPodSelector().getMatchLabels();
            if (podSelector == null || podSelector.isEmpty()) {
                continue;
            }
            List<Workload> selected = m.workloads().stream().filter(w -> w.selectedBy(podSelector)).toList();
            assertThat(selected).as(name + " pods").isNotEmpty();
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            List<NetworkPolicyPort> ports = new ArrayList<>();
            if (p.getSpec().getIngress() != null) {
                p.getSpec().getIngress().forEach(r -> {
                    peers.addAll(nullToEmpty(r.getFrom()));
                    ports.addAll(nullToEmpty(r.getPorts()));
                    nullToEmpty(r.getPorts()).forEach(port -> selected.forEach(w -> assertThat(containerPorts(onlyContainer(w)))
                            .as(name + " opens a port of " + w).contains(port.getPort().getIntVal())));
                });
            }
            if (p.getSpec().getEgress() != null) {
                p.getSpec().getEgress().forEach(r -> peers.addAll(nullToEmpty(r.getTo())));
            }
            for (NetworkPolicyPeer peer : peers) {
                if (peer.getNamespaceSelector() == null && peer.getPodSelector() != null) {
                    assertThat(m.workloads()).as(name + " peer " + peer.getPodSelector().getMatchLabels())
                            .anyMatch(w -> w.selectedBy(peer.getPodSelector().getMatchLabels()));
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesUseTheHealthEndpointsOnANamedContainerPort(String overlay) {
        for (Workload w : Overlays.rendered(overlay).workloads()) {
            Container c = onlyContainer(w);
            Map<String, Probe> probes = Map.of("startup", c.getStartupProbe(), "liveness", c.getLivenessProbe(), "readiness", c.getReadinessProbe());
            probes.forEach((kind, probe) -> {
                assertThat(probe).as(w + " " + kind + " probe").isNotNull();
                HTTPGetAction get = probe.getHttpGet();
                assertThat(portNames(c)).as(w + " " + kind + " probe port").contains(get.getPort().getStrVal());
                assertThat(get.getPath()).as(w + " " + kind + " probe path").isEqualTo(kind.equals("readiness") ? "/health/ready" : "/health/live");
            });
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyVolumeMountHasAVolumeAndEveryVolumeIsMounted(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Workload w : m.workloads()) {
            PodSpec pod = w.template().getSpec();
            List<String> declared = new ArrayList<>(pod.getVolumes().stream().map(Volume::getName).toList());
            if (w.object() instanceof StatefulSet s && s.getSpec().getVolumeClaimTemplates() != null) {
                s.getSpec().getVolumeClaimTemplates().forEach(t -> declared.add(t.getMetadata().getName()));
            }
            List<String> mounted = onlyContainer(w).getVolumeMounts().stream().map(VolumeMount::getName).toList();
            assertThat(declared).as(w + " volumes").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(mounted);
            for (Volume v : pod.getVolumes()) {
                if (v.getConfigMap() != null) {
                    m.get(io.fabric8.kubernetes.api.model.ConfigMap.class, v.getConfigMap().getName());
                }
                if (v.getCsi() != null) {
                    assertThat(v.getCsi().getDriver()).isEqualTo("secrets-store.csi.k8s.io");
                    assertThat(v.getCsi().getReadOnly()).isTrue();
                    m.generic("SecretProviderClass", v.getCsi().getVolumeAttributes().get("secretProviderClass"));
                }
            }
        }
    }

    /** The CSI driver creates and refreshes the synced Secret only while a pod mounts its class. */
    @ParameterizedTest
    @MethodSource("overlays")
    void secretReferencesResolveAndTheirPodsMountTheClassThatSyncsThem(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Workload w : m.workloads()) {
            Container c = onlyContainer(w);
            PodEnvironment.of(m, w.toString(), c, w.name() + "-0", Map.of()); // fails on a missing key, Secret or ConfigMap
            List<String> secretsUsed = c.getEnv().stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                    .map(e -> e.getValueFrom().getSecretKeyRef().getName()).distinct().toList();
            for (String secret : secretsUsed) {
                GenericKubernetesResource spc = m.all(GenericKubernetesResource.class).stream()
                        .filter(g -> PodEnvironment.syncedBy(g).containsKey(secret))
                        .findFirst().orElseThrow();
                assertThat(w.template().getSpec().getVolumes()).as(w + " mounts the class syncing " + secret)
                        .anyMatch(v -> v.getCsi() != null && spc.getMetadata().getName().equals(v.getCsi().getVolumeAttributes().get("secretProviderClass")));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunAsTheirOwnWorkloadIdentity(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Workload w : m.workloads()) {
            PodSpec pod = w.template().getSpec();
            assertThat(pod.getServiceAccountName()).as(w + " service account").isEqualTo(w.name());
            ServiceAccount sa = m.get(ServiceAccount.class, pod.getServiceAccountName());
            assertThat(sa.getMetadata().getAnnotations().get("azure.workload.identity/client-id")).as(sa.getMetadata().getName() + " client id")
                    .matches("[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}");
            assertThat(w.podLabels()).as(w + " pod labels").containsEntry("azure.workload.identity/use", "true");
        }
        List<String> componentIdentities = m.all(ServiceAccount.class).stream()
                .map(sa -> sa.getMetadata().getAnnotations().get("azure.workload.identity/client-id")).toList();
        assertThat(componentIdentities).as("one identity per component").doesNotHaveDuplicates();
        String secretsReader = m.generic("SecretProviderClass", "pulse-keyvault").get("spec", "parameters", "clientID");
        assertThat(componentIdentities).as("the Key Vault reader (trusted by every pulse service account) is none of the component identities")
                .doesNotContain(secretsReader);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void podsRunNonRootWithAReadOnlyRootFilesystemAndNoCapabilities(String overlay) {
        for (Workload w : Overlays.rendered(overlay).workloads()) {
            PodSpec pod = w.template().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(w + " runAsNonRoot").isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(w + " runAsUser").isEqualTo(DockerImage.userId());
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).as(w + " seccomp").isEqualTo("RuntimeDefault");
            Container c = onlyContainer(w);
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(w + " readOnlyRootFilesystem").isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(w + " allowPrivilegeEscalation").isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(w + " dropped capabilities").containsExactly("ALL");
            assertThat(c.getSecurityContext().getCapabilities().getAdd()).as(w + " added capabilities").isNullOrEmpty();
            for (String writable : List.of("/tmp", "/var/lib/pulse")) {
                assertThat(c.getVolumeMounts()).as(w + " writable " + writable).anyMatch(v -> v.getMountPath().equals(writable) && !Boolean.TRUE.equals(v.getReadOnly()));
            }
            VolumeMount tmp = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals("/tmp")).findFirst().orElseThrow();
            assertThat(pod.getVolumes()).as(w + " /tmp is an emptyDir").anyMatch(v -> v.getName().equals(tmp.getName()) && v.getEmptyDir() != null);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void containersServeHttpOnTheConfiguredApiPortAndRunTheImage(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Workload w : m.workloads()) {
            Container c = onlyContainer(w);
            PulseConfig config = WorkloadConfig.of(m, w, w.name() + "-0").load();
            assertThat(c.getPorts()).as(w + " ports").extracting(ContainerPort::getName, ContainerPort::getContainerPort)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("http", config.apiPort()));
            assertThat(c.getImage()).as(w + " image: registry/repository:tag set by the overlay").matches("[a-z0-9.-]+\\.[a-z]+/pulse:[A-Za-z0-9._-]+");
            assertThat(c.getCommand()).as(w + " command (the image's ENTRYPOINT runs the jar)").isNullOrEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void insightsStatefulSetIsGovernedByTheHeadlessServiceItAdvertises(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        StatefulSet s = m.get(StatefulSet.class, "pulse-insights");
        Service headless = m.get(Service.class, s.getSpec().getServiceName());
        assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(m.workload("pulse-insights").selectedBy(headless.getSpec().getSelector())).isTrue();
        assertThat(s.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");

        Container c = s.getSpec().getTemplate().getSpec().getContainers().get(0);
        List<String> envNames = c.getEnv().stream().map(e -> e.getName()).toList();
        assertThat(envNames.indexOf("POD_NAME")).as("POD_NAME is declared before the endpoint that uses it")
                .isNotNegative().isLessThan(envNames.indexOf("PULSE_API_ADVERTISED_ENDPOINT"));
        assertThat(c.getEnv().get(envNames.indexOf("POD_NAME")).getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        int port = c.getPorts().get(0).getContainerPort();
        assertThat(c.getEnv().get(envNames.indexOf("PULSE_API_ADVERTISED_ENDPOINT")).getValue())
                .isEqualTo("$(POD_NAME)." + headless.getMetadata().getName() + "." + headless.getMetadata().getNamespace() + ".svc.cluster.local:" + port);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void memoryLimitCoversHeapRocksDbAndJvmHeadroom(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        for (Workload w : m.workloads()) {
            WorkloadConfig wc = WorkloadConfig.of(m, w, w.name() + "-0");
            Container c = wc.container();
            Map<String, Quantity> limits = c.getResources().getLimits();
            Map<String, Quantity> requests = c.getResources().getRequests();
            long limit = bytes(limits.get("memory"));
            assertThat(bytes(requests.get("memory"))).as(w + " memory request equals its limit (no overcommit of a JVM)").isEqualTo(limit);
            assertThat(limits).as(w + " limits").containsKey("cpu");

            double heapShare = maxRamPercentage(wc.env().get("JAVA_TOOL_OPTIONS"), w) / 100;
            long heap = (long) (limit * heapShare);
            PulseConfig config = wc.load();
            long rocksDb = wc.components().contains("insights")
                    ? config.engagement().rocksDbCacheBytes() + config.engagement().rocksDbWriteBufferBytes() : 0;
            assertThat(limit).as("%s memory limit %d MiB >= heap %d + RocksDB %d + headroom %d MiB", w, limit >> 20, heap >> 20, rocksDb >> 20,
                    JVM_NON_HEAP_HEADROOM >> 20).isGreaterThanOrEqualTo(heap + rocksDb + JVM_NON_HEAP_HEADROOM);
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void standbyReplicasFitOnTheOtherInsightsPods(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        Workload insights = m.workload("pulse-insights");
        PulseConfig config = WorkloadConfig.of(m, insights, "pulse-insights-0").load();

        assertThat(config.streams().standbyReplicas()).isLessThan(insights.replicas());
        if (insights.replicas() > 1) {
            assertThat(config.streams().standbyReplicas()).as("with several pods, a standby keeps queries answered during a restart").isPositive();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void gracePeriodsOutlastTheCommitsAComponentMakesOnShutdown(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        Workload insights = m.workload("pulse-insights");
        PulseConfig config = WorkloadConfig.of(m, insights, "pulse-insights-0").load();
        assertThat(insights.template().getSpec().getTerminationGracePeriodSeconds()).as("insights grace period")
                .isGreaterThanOrEqualTo(60L).isGreaterThan(config.streams().commitInterval().toSeconds() * 2);

        Workload lake = m.workload("pulse-lake-sink");
        assertThat(lake.template().getSpec().getTerminationGracePeriodSeconds()).as("lake sink grace period")
                .isGreaterThan(WorkloadConfig.of(m, lake, "x").load().lake().flushInterval().toSeconds() * 2);
    }

    /**
     * The outbox must fill up (and ingest answer 503) before its disk does. The Azure Disk CSI driver formats ext4,
     * which keeps 5% for root (the container runs as 10001) and spends some more on metadata and the journal.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    void ingestOutboxFitsInItsDataVolume(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        Workload ingest = m.workload("pulse-ingest");
        PulseConfig config = WorkloadConfig.of(m, ingest, "pulse-ingest-0").load();
        MountedVolume volume = MountedVolume.holding(ingest, onlyContainer(ingest), config.delivery().outboxDir());
        long capacity = volume.capacityBytes().orElseThrow(() -> new AssertionError(ingest + ": " + volume + " has no size"));

        assertThat((long) (capacity * USABLE_SHARE_OF_A_DISK)).as("%s: usable bytes of %s vs %s", ingest, volume, ConfigKeys.INGEST_OUTBOX_MAX_MB)
                .isGreaterThan(config.delivery().outboxMaxBytes());
    }

    /** A StatefulSet's pods get stable names from the headless Service it names; its claims are per pod and findable by label. */
    @ParameterizedTest
    @MethodSource("overlays")
    void everyStatefulSetIsGovernedByAHeadlessServiceAndLabelsItsClaims(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        assertThat(m.all(StatefulSet.class)).extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("pulse-insights", "pulse-ingest");
        for (StatefulSet s : m.all(StatefulSet.class)) {
            Workload w = m.workload(s.getMetadata().getName());
            Service governing = m.get(Service.class, s.getSpec().getServiceName());
            assertThat(governing.getSpec().getClusterIP()).as(w + " governing Service is headless").isEqualTo("None");
            assertThat(w.selectedBy(governing.getSpec().getSelector())).as(w + " is selected by its governing Service").isTrue();
            assertThat(s.getSpec().getPodManagementPolicy()).as(w + " podManagementPolicy").isEqualTo("Parallel");
            assertThat(s.getSpec().getVolumeClaimTemplates()).as(w + " volumeClaimTemplates").isNotEmpty().allSatisfy(t -> {
                assertThat(t.getSpec().getAccessModes()).as(w + " claim " + t.getMetadata().getName()).containsExactly("ReadWriteOnce");
                assertThat(t.getSpec().getStorageClassName()).as(w + " claim " + t.getMetadata().getName() + " storage class").isNotBlank();
                assertThat(bytes(t.getSpec().getResources().getRequests().get("storage"))).isPositive();
                assertThat(t.getMetadata().getLabels()).as(w + " claim labels (kubectl get pvc -l ...)")
                        .containsEntry("app.kubernetes.io/name", w.podLabels().get("app.kubernetes.io/name"));
            });
        }
    }

    static Container onlyContainer(Workload w) {
        List<Container> containers = w.template().getSpec().getContainers();
        assertThat(containers).as(w + " containers").hasSize(1);
        return containers.get(0);
    }

    private static Set<String> portNames(Container c) {
        return Set.copyOf(c.getPorts().stream().map(ContainerPort::getName).toList());
    }

    private static List<Integer> containerPorts(Container c) {
        return c.getPorts().stream().map(ContainerPort::getContainerPort).toList();
    }

    private static long bytes(Quantity q) {
        assertThat(q).as("quantity").isNotNull();
        return Quantity.getAmountInBytes(q).longValueExact();
    }

    private static double maxRamPercentage(String javaToolOptions, Workload w) {
        assertThat(javaToolOptions).as(w + " JAVA_TOOL_OPTIONS (image or container)").isNotNull();
        Matcher matcher = Pattern.compile("-XX:MaxRAMPercentage=([0-9.]+)").matcher(javaToolOptions);
        assertThat(matcher.find()).as(w + " JAVA_TOOL_OPTIONS sets -XX:MaxRAMPercentage: " + javaToolOptions).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
