package io.pulse.launcher.drills;

/**
 * CI-sized or long drills. Long mode is off by default; turn it on with {@code -Dpulse.drills=long} or
 * {@code PULSE_LONG_DRILLS=1}. Each drill has a CI test that always runs and a long test that is skipped
 * (reported as skipped, never as passed) unless long mode is on.
 */
final class DrillMode {
    private DrillMode() {
    }

    static boolean isLong() {
        return "long".equalsIgnoreCase(System.getProperty("pulse.drills", ""))
                || "1".equals(System.getenv("PULSE_LONG_DRILLS"));
    }

    static final String HOW_TO_ENABLE = "long drills are off: run with -Dpulse.drills=long or PULSE_LONG_DRILLS=1";
}
