package io.pulse.launcher;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the real {@code pulse} command line in-process, as a shell would, and keeps what it printed. */
public final class CommandLineRun {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code pulse <args>} and returns its exit code; the output adds to what earlier runs printed. */
    public int run(String... args) {
        CommandLine cmd = PulseCommand.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        return cmd.execute(args);
    }

    /** Everything printed on standard output so far. */
    public String out() {
        return out.toString();
    }

    /** Everything printed on standard error so far. */
    public String err() {
        return err.toString();
    }

    /** Forgets the standard output printed so far. */
    public void clearOut() {
        out.getBuffer().setLength(0);
    }
}
