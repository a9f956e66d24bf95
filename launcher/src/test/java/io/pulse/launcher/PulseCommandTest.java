package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class PulseCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    @Test
    void helpListsTheCommands() {
        int exit = run("--help");

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("Usage: pulse").contains("demo").contains("config");
    }

    @Test
    void configShowsResolvedValuesWithSecretsMasked() {
        int exit = run("config", "--data-dir", "/tmp/pulse-config-test", "--set", "pulse.api.port=8088");

        assertThat(exit).isZero();
        assertThat(out.toString())
                .contains("pulse.api.port").contains("8088")
                .contains("/tmp/pulse-config-test")
                .doesNotContain(io.pulse.common.config.PulseConfig.LOCAL_DEV_PSEUDONYMISATION_KEY);
    }

    @Test
    void badConfigurationExitsWithCodeTwoAndNamesTheKey() {
        int exit = run("config", "--set", "pulse.metrics.window-grace=-5m", "--set", "pulse.api.prot=1");

        assertThat(exit).isEqualTo(PulseCommand.EXIT_BAD_CONFIG);
        assertThat(err.toString())
                .contains("'pulse.metrics.window-grace'").contains("-5m")
                .contains("unknown key 'pulse.api.prot'").contains("did you mean 'pulse.api.port'");
    }

    @Test
    void eventHubsProfileWithoutItsSecretsIsRefusedNamingThem() {
        int exit = run("demo", "--set", "pulse.profile=eventhubs");

        assertThat(exit).isEqualTo(PulseCommand.EXIT_BAD_CONFIG);
        assertThat(err.toString()).contains("PULSE_EVENTHUBS_CONNECTION_STRING").contains("PULSE_LAKE_PSEUDONYMISATION_KEY");
    }
}
