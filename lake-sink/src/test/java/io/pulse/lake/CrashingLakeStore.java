package io.pulse.lake;

import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStoreException;
import io.pulse.lake.store.TemporaryFile;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lake store that "crashes" at its (k+1)-th rename: that rename and everything after it fails, and,
 * like a killed process, it leaves its temporary files where they are.
 */
final class CrashingLakeStore implements LakeStore {
    static final String CRASH = "simulated crash before a rename";

    private final LakeStore delegate;
    private final int renamesBeforeCrash;
    private final AtomicInteger renames = new AtomicInteger();

    CrashingLakeStore(LakeStore delegate, int renamesBeforeCrash) {
        this.delegate = delegate;
        this.renamesBeforeCrash = renamesBeforeCrash;
    }

    boolean crashed() {
        return renames.get() > renamesBeforeCrash;
    }

    @Override
    public TemporaryFile createTemporary(LakeDirectory directory, String ownerTag) {
        return delegate.createTemporary(directory, ownerTag);
    }

    @Override
    public OutputStream openForWrite(TemporaryFile file) {
        return delegate.openForWrite(file);
    }

    @Override
    public CommitOutcome commitIfAbsent(TemporaryFile file, String finalName) {
        if (renames.incrementAndGet() > renamesBeforeCrash) {
            throw new LakeStoreException(CRASH + " of " + file + " to " + finalName);
        }
        return delegate.commitIfAbsent(file, finalName);
    }

    @Override
    public void discard(TemporaryFile file) {
        if (!crashed()) {
            delegate.discard(file);
        }
    }

    @Override
    public List<LakeFile> listCommitted(String dataset) {
        return delegate.listCommitted(dataset);
    }

    @Override
    public int deleteTemporaries(String dataset, Collection<String> ownerTags) {
        return delegate.deleteTemporaries(dataset, ownerTags);
    }
}
