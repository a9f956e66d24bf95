package io.pulse.lake.store;

import java.util.Objects;

/**
 * A file being written under a temporary name that readers ignore, until it is committed under its
 * final name with {@link LakeStore#commitIfAbsent} or thrown away with {@link LakeStore#discard}.
 *
 * @param directory where it will be committed
 * @param name      its temporary name in that directory
 */
public record TemporaryFile(LakeDirectory directory, String name) {
    public TemporaryFile {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(name, "name");
    }

    public String relativePath() {
        return directory.relativePath() + "/" + name;
    }

    @Override
    public String toString() {
        return relativePath();
    }
}
