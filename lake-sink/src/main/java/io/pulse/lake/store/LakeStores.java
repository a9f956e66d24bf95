package io.pulse.lake.store;

import io.pulse.common.config.PulseConfig;

/** Opens the lake store the configuration names ({@code pulse.lake.store}). */
public final class LakeStores {
    private LakeStores() {
    }

    /** The local directory {@code lake.dir()}, or ADLS Gen2 when {@code lake.adls()} is present. */
    public static LakeStore open(PulseConfig.Lake lake) {
        if (lake.adls().isPresent()) {
            throw new UnsupportedOperationException("the ADLS Gen2 lake store is not written yet");
        }
        return new LocalLakeStore(lake.dir());
    }
}
