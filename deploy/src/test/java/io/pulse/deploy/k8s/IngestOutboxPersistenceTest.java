package io.pulse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.deploy.k8s.Manifests.Workload;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Nothing accepted is lost": an ingest pod answers 2xx once an event is in Event Hubs or fsync'd in its outbox, so
 * the outbox must outlive the pod. The autoscaler removes ingest pods precisely when an Event Hubs outage lowers their
 * CPU; a node drain evicts them. Checked on the rendered overlays, and shown to fail on the ways it could break.
 */
class IngestOutboxPersistenceTest {
    static Stream<String> overlays() {
        return Overlays.NAMES.stream();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyWorkloadRunningIngestKeepsItsOutboxAndDataDirOnARetainedClaimOfItsOwn(String overlay) {
        Manifests m = Overlays.rendered(overlay);

        assertThat(IngestOutboxStorage.ingestWorkloads(m)).extracting(Workload::toString).containsExactly("StatefulSet/pulse-ingest");
        assertThat(IngestOutboxStorage.problems(m)).isEmpty();
    }

    @Test
    void anOutboxOnAnEmptyDirIsReported() {
        List<ObjectNode> docs = prod();
        ObjectNode ingest = doc(docs, "StatefulSet/pulse-ingest");
        ((ObjectNode) ingest.get("spec")).remove("volumeClaimTemplates");
        ((ArrayNode) ingest.at("/spec/template/spec/volumes")).addObject().put("name", "data").putObject("emptyDir").put("sizeLimit", "6Gi");

        assertThat(IngestOutboxStorage.problems(Manifests.parse("prod", docs))).anySatisfy(p -> assertThat(p).startsWith(
                "StatefulSet/pulse-ingest keeps its outbox (pulse.ingest.outbox-dir) /var/lib/pulse/outbox on volume data (emptyDir) mounted at /var/lib/pulse: it is lost with the pod"));
    }

    @Test
    void anOutboxDirConfiguredOntoAnotherVolumeIsReported() {
        List<ObjectNode> docs = prod();
        ((ArrayNode) doc(docs, "StatefulSet/pulse-ingest").at("/spec/template/spec/containers/0/env")).addObject()
                .put("name", "PULSE_INGEST_OUTBOX_DIR").put("value", "/tmp/outbox");

        assertThat(IngestOutboxStorage.problems(Manifests.parse("prod", docs))).singleElement().asString().startsWith(
                "StatefulSet/pulse-ingest keeps its outbox (pulse.ingest.outbox-dir) /tmp/outbox on volume tmp (emptyDir) mounted at /tmp");
    }

    /** Without --components, serve runs every component, ingest included. */
    @Test
    void aDeploymentThatAlsoRunsIngestIsReported() {
        List<ObjectNode> docs = prod();
        ArrayNode args = ((ObjectNode) doc(docs, "Deployment/pulse-lake-sink").at("/spec/template/spec/containers/0")).putArray("args");
        List.of("serve", "--config", "/etc/pulse/pulse.properties").forEach(args::add);
        Manifests m = Manifests.parse("prod", docs);

        assertThat(IngestOutboxStorage.ingestWorkloads(m)).extracting(Workload::toString)
                .containsExactlyInAnyOrder("StatefulSet/pulse-ingest", "Deployment/pulse-lake-sink");
        assertThat(IngestOutboxStorage.problems(m)).hasSize(2).allSatisfy(p -> assertThat(p)
                .startsWith("Deployment/pulse-lake-sink keeps its ").contains("on volume data (emptyDir) mounted at /var/lib/pulse"));
    }

    @Test
    void claimsDeletedOnScaleDownAreReported() {
        List<ObjectNode> docs = prod();
        ((ObjectNode) doc(docs, "StatefulSet/pulse-ingest").at("/spec/persistentVolumeClaimRetentionPolicy")).put("whenScaled", "Delete");

        assertThat(IngestOutboxStorage.problems(Manifests.parse("prod", docs))).singleElement().asString()
                .contains("StatefulSet/pulse-ingest: persistentVolumeClaimRetentionPolicy must say whenScaled: Retain")
                .endsWith("(got whenScaled=Delete, whenDeleted=Retain)");
    }

    /** A fresh rendering: the cached one is shared by the other tests. */
    private static List<ObjectNode> prod() {
        return KustomizeRenderer.render(Overlays.dir("prod"));
    }

    private static ObjectNode doc(List<ObjectNode> docs, String id) {
        return docs.stream().filter(d -> KustomizeRenderer.id(d).equals(id)).findFirst().orElseThrow();
    }
}
