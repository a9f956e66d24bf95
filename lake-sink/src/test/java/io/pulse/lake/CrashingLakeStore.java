package io.pulse.lake;

import io.pulse.lake.store.CommitOutcome;
import io.pulse.lake.store.LakeDirectory;
import io.pulse.lake.store.LakeFile;
import io.pulse.lake.store.LakeStore;
import io.pulse.lake.store.LakeStoreException;
import io.pulse.lake.store.TemporaryFile;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lake store that "crashes" at a chosen operation: that operation and everything after it fail, and, like
 * a killed process, it leaves its temporary files where they are (discards do nothing).
 *
 * <p>{@link #beforeRename} counts renames only: the (k+1)-th rename fails before it happens.
 * {@link #atOperation} counts every operation (creating, opening, completing a file's stream, renaming,
 * discarding, listing, deleting temporaries): the k-th fails; when it is a rename and k is even, the rename
 * takes effect first, like a process killed right after the store answered.
 */
final class CrashingLakeStore implements LakeStore {
    static final String CRASH = "simulated crash";

    private final LakeStore delegate;
    private final boolean renamesOnly;
    private final int crashAt;
    private final AtomicInteger counted = new AtomicInteger();
    private volatile boolean crashed;

    private CrashingLakeStore(LakeStore delegate, boolean renamesOnly, int crashAt) {
        this.delegate = delegate;
        this.renamesOnly = renamesOnly;
        this.crashAt = crashAt;
    }

    /** Crashes before its (k+1)-th rename. */
    CrashingLakeStore(LakeStore delegate, int renamesBeforeCrash) {
        this(delegate, true, renamesBeforeCrash + 1);
    }

    static CrashingLakeStore beforeRename(LakeStore delegate, int renamesBeforeCrash) {
        return new CrashingLakeStore(delegate, renamesBeforeCrash);
    }

    /** Crashes at its {@code k}-th operation of any kind (k ≥ 1). */
    static CrashingLakeStore atOperation(LakeStore delegate, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("operations count from 1, got " + k);
        }
        return new CrashingLakeStore(delegate, false, k);
    }

    boolean crashed() {
        return crashed;
    }

    @Override
    public TemporaryFile createTemporary(LakeDirectory directory, String ownerTag) {
        count("create a temporary file in " + directory);
        return delegate.createTemporary(directory, ownerTag);
    }

    @Override
    public OutputStream openForWrite(TemporaryFile file) {
        count("open " + file);
        return new FilterOutputStream(delegate.openForWrite(file)) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (crashed) {
                    throw new IOException(CRASH + " while writing " + file);
                }
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                try {
                    count("complete " + file);
                } catch (LakeStoreException e) {
                    super.close(); // the process dies: its file handle goes with it, the file stays
                    throw new IOException(e.getMessage(), e);
                }
                super.close();
            }
        };
    }

    @Override
    public CommitOutcome commitIfAbsent(TemporaryFile file, String finalName) {
        if (isCrashPoint(true, "rename " + file)) {
            if (!renamesOnly && crashAt % 2 == 0) {
                delegate.commitIfAbsent(file, finalName);
                throw new LakeStoreException(CRASH + " right after renaming " + file + " to " + finalName);
            }
            throw new LakeStoreException(CRASH + " before renaming " + file + " to " + finalName);
        }
        return delegate.commitIfAbsent(file, finalName);
    }

    @Override
    public void discard(TemporaryFile file) {
        if (!crashed) {
            count("discard " + file);
            delegate.discard(file);
        }
    }

    @Override
    public List<LakeFile> listCommitted(String dataset) {
        count("list " + dataset);
        return delegate.listCommitted(dataset);
    }

    @Override
    public int deleteTemporaries(String dataset, Collection<String> ownerTags) {
        count("delete temporaries of " + ownerTags + " in " + dataset);
        return delegate.deleteTemporaries(dataset, ownerTags);
    }

    private void count(String operation) {
        if (isCrashPoint(false, operation)) {
            throw new LakeStoreException(CRASH + " at: " + operation);
        }
    }

    /** Counts an operation; true if it is the one to crash at. Once crashed, every operation fails. */
    private boolean isCrashPoint(boolean isRename, String operation) {
        if (crashed) {
            throw new LakeStoreException(CRASH + " earlier; refusing: " + operation);
        }
        if (renamesOnly && !isRename) {
            return false;
        }
        if (counted.incrementAndGet() >= crashAt) {
            crashed = true;
            return true;
        }
        return false;
    }
}
