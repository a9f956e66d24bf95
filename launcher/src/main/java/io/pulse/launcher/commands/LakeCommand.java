package io.pulse.launcher.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pulse lake ...}: query the local lake, list its datasets, or run the lake sink alone. */
@Command(name = "lake", mixinStandardHelpOptions = true,
        description = "The data lake: query it with SQL, list its datasets, or run the lake sink on its own.",
        subcommands = {LakeQueryCommand.class, LakeDatasetsCommand.class, LakeSinkCommand.class})
public final class LakeCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
