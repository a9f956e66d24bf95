package io.pulse.launcher.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.common.config.ConfigKeys;
import io.pulse.launcher.CommandLineRun;
import io.pulse.launcher.PulseCommand;
import io.pulse.launcher.wiring.Component;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code pulse serve}'s command line; the components it starts are exercised by ServeIT. */
class ServeCommandTest {
    private final CommandLineRun cli = new CommandLineRun();

    private static ServeCommand parse(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve;
    }

    @Test
    void runsEveryComponentWhenNoneAreNamed() {
        assertThat(parse().components.components()).isEqualTo(EnumSet.allOf(Component.class));
    }

    @Test
    void runsOnlyTheNamedComponents() {
        assertThat(parse("--components", "ingest,lake-sink").components.components())
                .containsExactlyInAnyOrder(Component.INGEST, Component.LAKE_SINK);
        assertThat(parse("--components=insights").components.components()).containsExactly(Component.INSIGHTS);
    }

    @Test
    void theGeneratorStaysOffUnlessItsRateIsSetExplicitly() {
        ServeCommand plain = parse();
        assertThat(plain.options.load(plain.generatorOverride()).generator().eventsPerSecond())
                .as("the local profile's default rate (40) is the demo's, not serve's").isZero();

        ServeCommand withRate = parse("--set", ConfigKeys.GENERATOR_RATE + "=5");
        assertThat(withRate.options.load(withRate.generatorOverride()).generator().eventsPerSecond()).isEqualTo(5.0);
    }

    @Test
    void anUnknownComponentExitsWithCodeTwoListingTheValidOnes() {
        int exit = cli.run("serve", "--components", "insights,api");

        assertThat(exit).isEqualTo(2);
        assertThat(cli.err()).contains("--components").contains("unknown component 'api'")
                .contains("valid components: insights, ingest, lake-sink");
    }

    @Test
    void aBadAdvertisedEndpointExitsWithCodeTwoNamingTheKeyBeforeReachingKafka() {
        int exit = cli.run("serve", "--components", "insights", "--set", ConfigKeys.API_ADVERTISED_ENDPOINT + "=pulse-insights-0");

        assertThat(exit).isEqualTo(PulseCommand.EXIT_BAD_CONFIG);
        assertThat(cli.err()).contains("'" + ConfigKeys.API_ADVERTISED_ENDPOINT + "' must be host:port").contains("pulse-insights-0");
    }

    @Test
    void isListedInTheHelpWithItsComponents() {
        assertThat(cli.run("--help")).isZero();
        assertThat(cli.out()).contains("serve");

        cli.clearOut();
        assertThat(cli.run("serve", "--help")).isZero();
        assertThat(cli.out()).contains("--components").contains("default: insights,ingest,lake-sink")
                .contains("  insights ").contains("  ingest ").contains("  lake-sink ");
    }
}
