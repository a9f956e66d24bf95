package io.pulse.lake.store.adls;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The paths of one ADLS Gen2 file system with a hierarchical namespace, as the service keeps them:
 * directories are real but implicit (creating a path creates its parents), a file's data is appended
 * at positions and becomes readable only when flushed, and a rename is atomic.
 *
 * <p>Not thread safe: {@link AdlsGen2TestServer} calls it under one lock.
 */
final class InMemoryNamespace {
    private static final AtomicLong ETAGS = new AtomicLong(0x8DC5E0000000000L);

    /** Full paths (no leading '/') to nodes, sorted so that a directory's descendants follow it. */
    private final TreeMap<String, Node> nodes = new TreeMap<>();

    /** One file or directory. */
    static final class Node {
        final boolean directory;
        byte[] content = new byte[0];
        /** Appended but not yet flushed data, by position. */
        final TreeMap<Long, byte[]> pending = new TreeMap<>();
        String etag = nextEtag();
        Instant lastModified = Instant.now();

        Node(boolean directory) {
            this.directory = directory;
        }

        void touch() {
            etag = nextEtag();
            lastModified = Instant.now();
        }
    }

    /** A failure the service would answer with: status, x-ms-error-code and message. */
    static final class ServiceError extends RuntimeException {
        final int status;
        final String code;

        ServiceError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    Node get(String path) {
        return nodes.get(path);
    }

    Node require(String path) {
        Node node = nodes.get(path);
        if (node == null) {
            throw new ServiceError(404, "PathNotFound", "The specified path does not exist.");
        }
        return node;
    }

    /** Path Create: a new (empty) file or directory, its parents created as needed; an existing file is replaced. */
    Node create(String path, boolean directory) {
        Node existing = nodes.get(path);
        if (existing != null && existing.directory && directory) {
            existing.touch();
            return existing;
        }
        if (existing != null && existing.directory != directory) {
            throw new ServiceError(409, "PathConflict",
                    "The specified path, or an element of the path, exists and its resource type is invalid for this operation.");
        }
        createParents(path);
        Node node = new Node(directory);
        nodes.put(path, node);
        return node;
    }

    /** Path Update append: data at a position, not yet readable. */
    void append(String path, long position, byte[] data) {
        Node node = requireFile(path);
        if (position < node.content.length) {
            throw new ServiceError(400, "InvalidAppendPosition",
                    "The value for one of the HTTP headers is not in the correct format: position " + position
                            + " is before the flushed length " + node.content.length + ".");
        }
        node.pending.put(position, data);
    }

    /**
     * Path Update flush: the appended data up to {@code position} becomes the file's content. The data
     * must be contiguous from the flushed length and end exactly at {@code position}; a flush at the
     * current length with nothing pending changes nothing (so a repeated flush is harmless).
     */
    Node flush(String path, long position, boolean retainUncommittedData) {
        Node node = requireFile(path);
        long length = node.content.length;
        if (position == length && (node.pending.isEmpty() || node.pending.firstKey() >= position)) {
            if (!retainUncommittedData) {
                node.pending.clear();
            }
            return node;
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes(node.content);
        long next = length;
        while (next < position && node.pending.containsKey(next)) {
            byte[] piece = node.pending.get(next);
            data.writeBytes(piece);
            next += piece.length;
        }
        if (next != position) {
            throw new ServiceError(400, "InvalidFlushPosition",
                    "The uploaded data is not contiguous or the position query parameter value is not equal to the length of the file after"
                            + " appending the uploaded data (flushed " + length + ", contiguous data up to " + next + ", flush at " + position + ").");
        }
        node.content = data.toByteArray();
        if (retainUncommittedData) {
            node.pending.headMap(position).clear();
        } else {
            node.pending.clear();
        }
        node.touch();
        return node;
    }

    /** Path Create with x-ms-rename-source: moves a file or a directory tree, atomically. */
    void rename(String source, String destination) {
        Node moved = require(source);
        if (destination.equals(source) || destination.startsWith(source + "/")) {
            throw new ServiceError(400, "InvalidDestinationPath", "The destination path is the source path or one of its descendants.");
        }
        Node existing = nodes.get(destination);
        if (existing != null && existing.directory) {
            throw new ServiceError(409, "PathConflict", "The destination path exists and is a directory.");
        }
        createParents(destination);
        Map<String, Node> subtree = new LinkedHashMap<>(descendants(source));
        nodes.remove(source);
        subtree.keySet().forEach(nodes::remove);
        nodes.put(destination, moved);
        subtree.forEach((path, node) -> nodes.put(destination + path.substring(source.length()), node));
    }

    /** Path Delete: a file, or a directory (recursively if asked; a non-empty one otherwise refused). */
    void delete(String path, boolean recursive) {
        Node node = require(path);
        NavigableMap<String, Node> below = descendants(path);
        if (node.directory && !below.isEmpty() && !recursive) {
            throw new ServiceError(409, "DirectoryNotEmpty", "The recursive query parameter value must be true to delete a non-empty directory.");
        }
        below.clear();
        nodes.remove(path);
    }

    /**
     * Path List: the paths under {@code directory} (the root if empty), all of them or only its direct
     * children, sorted by name, starting after {@code after} (the continuation), at most {@code max}.
     */
    List<Map.Entry<String, Node>> list(String directory, boolean recursive, String after, int max) {
        NavigableMap<String, Node> scope;
        if (directory.isEmpty()) {
            scope = nodes;
        } else {
            Node dir = nodes.get(directory);
            if (dir == null || !dir.directory) {
                throw new ServiceError(404, "PathNotFound", "The specified path does not exist.");
            }
            scope = descendants(directory);
        }
        if (after != null) {
            scope = scope.tailMap(after, false);
        }
        String prefix = directory.isEmpty() ? "" : directory + "/";
        List<Map.Entry<String, Node>> page = new ArrayList<>();
        for (Map.Entry<String, Node> e : scope.entrySet()) {
            if (!recursive && e.getKey().indexOf('/', prefix.length()) >= 0) {
                continue;
            }
            page.add(Map.entry(e.getKey(), e.getValue()));
            if (page.size() == max) {
                break;
            }
        }
        return page;
    }

    /** Whether any listed path sorts after {@code last} in the same scope (for the continuation header). */
    boolean hasMoreAfter(String directory, boolean recursive, String last) {
        return !list(directory, recursive, last, 1).isEmpty();
    }

    /** Every file with its flushed content. */
    Map<String, byte[]> files() {
        Map<String, byte[]> files = new TreeMap<>();
        nodes.forEach((path, node) -> {
            if (!node.directory) {
                files.put(path, node.content.clone());
            }
        });
        return files;
    }

    private Node requireFile(String path) {
        Node node = require(path);
        if (node.directory) {
            throw new ServiceError(409, "PathConflict", "The resource type of the path is a directory; the operation needs a file.");
        }
        return node;
    }

    private NavigableMap<String, Node> descendants(String directory) {
        // '/' + 1 is '0': every "directory/..." key sorts between the two bounds.
        return nodes.subMap(directory + "/", true, directory + "0", false);
    }

    private void createParents(String path) {
        int slash = path.indexOf('/');
        while (slash > 0) {
            String parent = path.substring(0, slash);
            Node node = nodes.get(parent);
            if (node == null) {
                nodes.put(parent, new Node(true));
            } else if (!node.directory) {
                throw new ServiceError(409, "PathConflict", "An element of the path is a file: " + parent);
            }
            slash = path.indexOf('/', slash + 1);
        }
    }

    private static String nextEtag() {
        return "\"0x" + Long.toHexString(ETAGS.incrementAndGet()).toUpperCase() + "\"";
    }
}
