package io.pulse.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.Profile;
import io.pulse.common.config.PulseConfig;
import io.pulse.deploy.k8s.Manifests.Workload;
import io.pulse.launcher.PulseCommand;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each container starts: its arguments parse with the real pulse command, and the real configuration loader
 * accepts what the manifests give it (image ENV, container env, the ConfigMap's pulse.properties, Key Vault
 * secrets faked) as a complete eventhubs profile.
 */
class ManifestConfigurationTest {
    static Stream<Arguments> workloads() {
        return Overlays.NAMES.stream().flatMap(o -> Overlays.rendered(o).workloads().stream().map(w -> Arguments.of(o, w.name())));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("workloads")
    void containerArgumentsParseWithThePulseCommand(String overlay, String workload) {
        Manifests m = Overlays.rendered(overlay);
        WorkloadConfig wc = WorkloadConfig.of(m, m.workload(workload), workload + "-0");

        assertThat(wc.args()).startsWith("serve");
        assertThat(wc.components()).as("--components").containsExactly(workload.substring("pulse-".length()));
        assertThatCode(() -> PulseCommand.commandLine().parseArgs(wc.args().toArray(String[]::new))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("workloads")
    void eventHubsProfileResolvesEntirelyFromTheManifests(String overlay, String workload) {
        Manifests m = Overlays.rendered(overlay);
        PulseConfig config = WorkloadConfig.of(m, m.workload(workload), workload + "-1").load();

        assertThat(config.profile()).isEqualTo(Profile.EVENTHUBS);
        assertThat(config.kafka().bootstrapServers()).isEqualTo("pulse-test.servicebus.windows.net:9093");
        assertThat(config.dataDir()).isEqualTo(Path.of("/var/lib/pulse"));
        assertThat(config.streams().guarantee().streamsValue()).isEqualTo("at_least_once");
        assertThat(config.streams().commitInterval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        assertThat(config.api().authMode()).isEqualTo(PulseConfig.ApiAuthMode.OIDC);
        assertThat(config.schemaRegistryUrl()).startsWith("https://");
        assertThat(config.lake().adls()).hasValueSatisfying(adls -> {
            assertThat(adls.auth()).isEqualTo(PulseConfig.AdlsAuth.DEFAULT_CREDENTIAL);
            assertThat(adls.endpoint()).matches("https://[a-z0-9]{3,24}\\.dfs\\.core\\.windows\\.net");
        });
        assertThat(config.lake().pseudonymisationKey()).isEqualTo(PodEnvironment.FAKE_SECRETS.get("lake-pseudonymisation-key"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.pulse.deploy.k8s.ManifestSchemaTest#overlays")
    void eachInsightsPodAdvertisesItsOwnHeadlessServiceName(String overlay) {
        Manifests m = Overlays.rendered(overlay);
        Workload insights = m.workload("pulse-insights");
        for (int pod = 0; pod < insights.replicas(); pod++) {
            String name = "pulse-insights-" + pod;
            PulseConfig config = WorkloadConfig.of(m, insights, name).load();

            assertThat(config.describe().get(ConfigKeys.API_ADVERTISED_ENDPOINT))
                    .isEqualTo(name + ".pulse-insights-headless.pulse.svc.cluster.local:" + config.apiPort());
        }
    }
}
