package io.pulse.launcher.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/** A one-line progress bar on stderr: the stage, its elapsed and planned time, and the run's elapsed and planned total. */
final class Progress {
    private static final int WIDTH = 24;
    private final PrintStream err;
    private final long runStart = System.nanoTime();
    private final Duration plannedTotal;
    private String stage = "";
    private long stageStart;
    private Duration stagePlanned = Duration.ZERO;

    Progress(PrintStream err, Duration plannedTotal) {
        this.err = err;
        this.plannedTotal = plannedTotal;
    }

    void stage(String name, Duration planned) {
        if (!stage.isEmpty()) {
            err.println();
        }
        stage = name;
        stagePlanned = planned;
        stageStart = System.nanoTime();
        tick("");
    }

    /** Redraws the line, with a short status (e.g. the current rate). */
    void tick(String status) {
        long stageSeconds = (System.nanoTime() - stageStart) / 1_000_000_000L;
        long runSeconds = (System.nanoTime() - runStart) / 1_000_000_000L;
        double done = stagePlanned.isZero() ? 0 : Math.min(1, (double) stageSeconds / stagePlanned.toSeconds());
        int filled = (int) Math.round(done * WIDTH);
        err.printf(Locale.ROOT, "\r[%s%s] %-22s %3ds/%3ds   total %3ds/~%ds  %-40s",
                "#".repeat(filled), ".".repeat(WIDTH - filled), stage, stageSeconds, stagePlanned.toSeconds(),
                runSeconds, plannedTotal.toSeconds(), status);
        err.flush();
    }

    void done() {
        err.println();
        err.flush();
    }
}
