package io.pulse.launcher;

import picocli.CommandLine;

/** The version from the jar manifest (or "development" when run from classes). */
public final class PulseVersion implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = PulseVersion.class.getPackage().getImplementationVersion();
        return new String[] {"pulse " + (v == null ? "development" : v), "Java " + Runtime.version()};
    }
}
