package io.pulse.launcher.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.PulseConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed Bicep module must be what the code generates: a new topic, store or repartition in the topology
 * changes the plan, and this test fails until the module is regenerated.
 */
class CommittedEventHubsTopicsTest {

    /** Walks up from the module's directory to the project root: the directory holding deploy/ and pom.xml. */
    static Path projectRoot() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("deploy")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no directory holding deploy/ and pom.xml above " + dir);
    }

    @Test
    void committedModuleEqualsTheOneGeneratedFromTheDefaultConfiguration() throws IOException {
        Path committed = projectRoot().resolve(EventHubsBicep.COMMITTED_FILE);
        // The default configuration, free of this machine's PULSE_* environment: what the committed file assumes.
        String generated = EventHubsBicep.render(PulseTopicPlan.forEventHubs(PulseConfig.load(Map.of(), Map.of(), Map.of())));

        assertThat(committed).as("the generated Event Hubs module").exists();
        assertThat(Files.readString(committed, StandardCharsets.UTF_8))
                .as("%s differs from what the code generates; regenerate it with:%n  %s%n", EventHubsBicep.COMMITTED_FILE,
                        EventHubsBicep.REGENERATE)
                .isEqualTo(generated);
    }
}
