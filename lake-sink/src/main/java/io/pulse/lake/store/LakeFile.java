package io.pulse.lake.store;

import java.util.Objects;

/** A committed (reader-visible) file of the lake: its directory and its final name. */
public record LakeFile(LakeDirectory directory, String name) {
    public LakeFile {
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
