package io.pulse.lake.store;

import io.pulse.common.config.PulseConfig;
import io.pulse.lake.store.adls.AdlsLakeStore;

/** Opens the lake store the configuration names ({@code pulse.lake.store}). */
public final class LakeStores {
    private LakeStores() {
    }

    /**
     * The local directory {@code lake.dir()}, or ADLS Gen2 when {@code lake.adls()} is present; the ADLS file
     * system is checked first (it exists, the credentials may list it), so that a wrong setting fails here
     * with a message that names it rather than at the first commit.
     */
    public static LakeStore open(PulseConfig.Lake lake) {
        if (lake.adls().isPresent()) {
            AdlsLakeStore store = AdlsLakeStore.create(lake.adls().get());
            store.verifyReachable();
            return store;
        }
        return new LocalLakeStore(lake.dir());
    }
}
