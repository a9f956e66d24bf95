package io.pulse.launcher.commands;

import io.pulse.common.config.ConfigKeys;
import io.pulse.common.config.PulseConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints the resolved configuration (secrets masked), or every problem with it. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Show the resolved configuration (secrets masked) and check it; --keys lists every key.")
public final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions options;

    @Option(names = "--keys", description = "List every configuration key with its meaning and environment variable.")
    boolean keys;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (keys) {
            ConfigKeys.DESCRIPTIONS.forEach((k, d) -> out.printf("%-40s %-42s %s%n", k, ConfigKeys.envName(k), d));
            out.printf("%-40s %-42s %s%n", "(secret)", ConfigKeys.EVENTHUBS_CONNECTION_STRING_ENV,
                    "Event Hubs connection string, environment only");
            return 0;
        }
        PulseConfig config = options.load(Map.of());
        config.describe().forEach((k, v) -> out.printf("%-40s %s%n", k, v));
        return 0;
    }
}
