package io.pulse.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PulseCommandTest {
    private final CommandLineRun cli = new CommandLineRun();

    @Test
    void helpListsTheCommands() {
        int exit = cli.run("--help");

        assertThat(exit).isZero();
        assertThat(cli.out()).contains("Usage: pulse").contains("demo").contains("config");
    }

    @Test
    void configShowsResolvedValuesWithSecretsMasked() {
        int exit = cli.run("config", "--data-dir", "/tmp/pulse-config-test", "--set", "pulse.api.port=8088");

        assertThat(exit).isZero();
        assertThat(cli.out())
                .contains("pulse.api.port").contains("8088")
                .contains("/tmp/pulse-config-test")
                .doesNotContain(io.pulse.common.config.PulseConfig.LOCAL_DEV_PSEUDONYMISATION_KEY);
    }

    @Test
    void badConfigurationExitsWithCodeTwoAndNamesTheKey() {
        int exit = cli.run("config", "--set", "pulse.metrics.window-grace=-5m", "--set", "pulse.api.prot=1");

        assertThat(exit).isEqualTo(PulseCommand.EXIT_BAD_CONFIG);
        assertThat(cli.err())
                .contains("'pulse.metrics.window-grace'").contains("-5m")
                .contains("unknown key 'pulse.api.prot'").contains("did you mean 'pulse.api.port'");
    }

    @Test
    void eventHubsProfileWithoutItsSecretsIsRefusedNamingThem() {
        int exit = cli.run("demo", "--set", "pulse.profile=eventhubs");

        assertThat(exit).isEqualTo(PulseCommand.EXIT_BAD_CONFIG);
        assertThat(cli.err()).contains("PULSE_EVENTHUBS_CONNECTION_STRING").contains("PULSE_LAKE_PSEUDONYMISATION_KEY");
    }
}
