package io.pulse.launcher;

import io.pulse.common.config.ConfigException;
import io.pulse.common.serde.GeneratedClassTrust;
import io.pulse.launcher.commands.BenchCommand;
import io.pulse.launcher.commands.ConfigCommand;
import io.pulse.launcher.commands.DemoCommand;
import io.pulse.launcher.commands.LakeCommand;
import io.pulse.launcher.commands.ServeCommand;
import io.pulse.launcher.commands.TopicsCommand;
import io.pulse.launcher.commands.TopologyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pulse} command line. */
@Command(name = "pulse",
        mixinStandardHelpOptions = true,
        versionProvider = PulseVersion.class,
        description = "Real-time customer-engagement insights for retailers, on Kafka Streams and Azure.",
        subcommands = {DemoCommand.class, ServeCommand.class, BenchCommand.class, ConfigCommand.class, TopologyCommand.class, TopicsCommand.class, LakeCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Start with:  ./pulse demo      then open the URLs it prints."})
public final class PulseCommand implements Runnable {
    /** Exit code for configuration that cannot be used. */
    public static final int EXIT_BAD_CONFIG = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        GeneratedClassTrust.install();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new PulseCommand())
                .setExecutionExceptionHandler((ex, cmd, parseResult) -> {
                    if (ex instanceof ConfigException) {
                        cmd.getErr().println(cmd.getColorScheme().errorText(ex.getMessage()));
                        return EXIT_BAD_CONFIG;
                    }
                    throw ex;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
