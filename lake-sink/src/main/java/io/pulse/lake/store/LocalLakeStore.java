package io.pulse.lake.store;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lake in a local directory (the embedded default, and tests).
 *
 * <p>Rename-if-absent is a hard link: {@link Files#createLink} fails atomically when the final name
 * exists, which a plain {@code rename(2)} would silently replace. The temporary name is unlinked
 * afterwards. The lake directory must therefore be on a file system with hard links (any local
 * POSIX file system or NTFS).
 */
public final class LocalLakeStore implements LakeStore {
    private static final Logger log = LoggerFactory.getLogger(LocalLakeStore.class);
    private static final int WRITE_BUFFER_BYTES = 64 * 1024;

    private final Path root;

    public LocalLakeStore(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** Where a committed file lives on disk. */
    public Path pathOf(LakeFile file) {
        return directoryPath(file.directory()).resolve(file.name());
    }

    @Override
    public TemporaryFile createTemporary(LakeDirectory directory, String ownerTag) {
        String name = LakeNames.newTemporaryName(ownerTag);
        Path dir = directoryPath(directory);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LakeStoreException("cannot create lake directory " + dir, e);
        }
        return new TemporaryFile(directory, name);
    }

    @Override
    public OutputStream openForWrite(TemporaryFile file) {
        Path path = pathOf(file);
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return new BufferedOutputStream(new SyncOnClose(channel), WRITE_BUFFER_BYTES);
        } catch (IOException e) {
            throw new LakeStoreException("cannot create temporary lake file " + path, e);
        }
    }

    @Override
    public CommitOutcome commitIfAbsent(TemporaryFile file, String finalName) {
        LakeNames.checkFinalName(finalName);
        Path temporary = pathOf(file);
        Path target = temporary.resolveSibling(finalName);
        CommitOutcome outcome;
        try {
            Files.createLink(target, temporary);
            outcome = CommitOutcome.COMMITTED;
        } catch (FileAlreadyExistsException e) {
            outcome = CommitOutcome.ALREADY_COMMITTED;
        } catch (NoSuchFileException e) {
            throw new LakeStoreException("cannot commit " + temporary + " as " + finalName
                    + ": the temporary file is gone (was it deleted by a new owner of its Kafka partition?)", e);
        } catch (UnsupportedOperationException e) {
            throw new LakeStoreException("cannot commit " + temporary + " as " + finalName + ": the file system of " + root
                    + " has no hard links, which the local lake needs for an atomic rename-if-absent", e);
        } catch (IOException e) {
            throw new LakeStoreException("cannot commit " + temporary + " as " + target, e);
        }
        delete(temporary, "cannot remove the temporary name of " + target + " after committing it");
        return outcome;
    }

    @Override
    public void discard(TemporaryFile file) {
        delete(pathOf(file), "cannot discard temporary lake file");
    }

    @Override
    public List<LakeFile> listCommitted(String dataset) {
        List<LakeFile> files = new ArrayList<>();
        walk(dataset, (directory, name) -> {
            if (!LakeNames.isHidden(name)) {
                files.add(new LakeFile(directory, name));
            }
        });
        return files;
    }

    @Override
    public int deleteTemporaries(String dataset, Collection<String> ownerTags) {
        List<Path> doomed = new ArrayList<>();
        walk(dataset, (directory, name) -> {
            if (LakeNames.isTemporaryOf(name, ownerTags)) {
                doomed.add(directoryPath(directory).resolve(name));
            }
        });
        for (Path path : doomed) {
            delete(path, "cannot delete temporary lake file left by an earlier writer");
            log.info("Deleted temporary lake file {} left by an earlier writer", path);
        }
        return doomed.size();
    }

    private Path directoryPath(LakeDirectory directory) {
        Path dir = root.resolve(directory.dataset());
        for (String segment : directory.partitionSegments()) {
            dir = dir.resolve(segment);
        }
        return dir;
    }

    private Path pathOf(TemporaryFile file) {
        return directoryPath(file.directory()).resolve(file.name());
    }

    private void delete(Path path, String what) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new LakeStoreException(what + ": " + path, e);
        }
    }

    /** Visits every regular file of the dataset with its directory; hidden and underscore directories are skipped. */
    private void walk(String dataset, BiConsumer<LakeDirectory, String> visitor) {
        Path datasetRoot = directoryPath(new LakeDirectory(dataset, List.of()));
        if (!Files.isDirectory(datasetRoot)) {
            return;
        }
        try {
            Files.walkFileTree(datasetRoot, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    if (!dir.equals(datasetRoot) && LakeNames.isHidden(dir.getFileName().toString())) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    try {
                        directoryOf(dir);
                    } catch (IllegalArgumentException e) {
                        log.warn("Ignoring lake directory {} that is not a partition directory: {}", dir, e.getMessage());
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        visitor.accept(directoryOf(file.getParent()), file.getFileName().toString());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while we walked: another writer committed or cleaned up
                    }
                    throw e;
                }

                private LakeDirectory directoryOf(Path dir) {
                    List<String> segments = new ArrayList<>();
                    datasetRoot.relativize(dir).forEach(p -> segments.add(p.toString()));
                    segments.removeIf(String::isEmpty);
                    return new LakeDirectory(dataset, segments);
                }
            });
        } catch (IOException e) {
            throw new LakeStoreException("cannot list lake dataset " + datasetRoot, e);
        }
    }

    /** Forces the file's bytes to disk before it can be committed, so a power cut cannot publish a torn file. */
    private static final class SyncOnClose extends FilterOutputStream {
        private final FileChannel channel;

        SyncOnClose(FileChannel channel) {
            super(Channels.newOutputStream(channel));
            this.channel = channel;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            try (channel) {
                out.flush();
                channel.force(true);
            }
        }
    }
}
