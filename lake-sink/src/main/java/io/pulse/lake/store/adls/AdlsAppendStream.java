package io.pulse.lake.store.adls;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.file.datalake.DataLakeFileClient;
import com.azure.storage.file.datalake.options.DataLakeFileAppendOptions;
import com.azure.storage.file.datalake.options.DataLakeFileFlushOptions;
import io.pulse.lake.store.LakeStoreException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a created ADLS Gen2 file: bytes are sent with Path Update {@code action=append} at their
 * position in chunks of up to {@code chunkBytes}, and {@link #close()} sends the rest and commits the file
 * with {@code action=flush&close=true}. Until then readers see an empty file. Each request is retried by
 * {@link AdlsRetry}; both are idempotent at a given position (an append re-sent after a timeout lands on
 * the same range, and a flush at the file's length is a no-op).
 *
 * <p>{@link #flush()} sends nothing: small appends would only cost requests, and nothing is visible
 * before the final flush anyway. Not thread safe.
 */
final class AdlsAppendStream extends OutputStream {
    private static final int FIRST_BUFFER_BYTES = 64 * 1024;

    private final DataLakeFileClient file;
    private final String location;
    private final AdlsRetry retry;
    private final int chunkBytes;
    private byte[] buffer;
    private int buffered;
    private long position;
    private boolean closed;
    /** Set when a write failed: the file is then never flushed, so a torn file can never be committed. */
    private RuntimeException failure;

    AdlsAppendStream(DataLakeFileClient file, String location, AdlsRetry retry, int chunkBytes) {
        this.file = Objects.requireNonNull(file, "file");
        this.location = location;
        this.retry = retry;
        this.chunkBytes = chunkBytes;
        // Grown as needed: many files are open at once and most stay far below one chunk.
        this.buffer = new byte[Math.min(FIRST_BUFFER_BYTES, chunkBytes)];
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        ensureOpen();
        while (len > 0) {
            if (buffered == buffer.length && buffer.length < chunkBytes) {
                buffer = Arrays.copyOf(buffer, Math.min(chunkBytes, buffer.length * 2));
            }
            int n = Math.min(len, buffer.length - buffered);
            System.arraycopy(b, off, buffer, buffered, n);
            buffered += n;
            off += n;
            len -= n;
            if (buffered == chunkBytes) {
                try {
                    appendBuffered();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
        }
    }

    @Override
    public void flush() {
        ensureOpen();
    }

    /** Sends what is buffered and commits the file; a failure leaves the stream closed and the file uncommitted. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            buffer = null;
            throw new LakeStoreException("ADLS Gen2 file " + location + " was not flushed: an earlier write to it failed", failure);
        }
        appendBuffered();
        long length = position;
        retry.call("flush of", location, attempt -> file.flushWithResponse(length,
                new DataLakeFileFlushOptions().setClose(true).setUncommittedDataRetained(false), null, Context.NONE));
        buffer = null;
    }

    private void appendBuffered() {
        if (buffered == 0) {
            return;
        }
        // A copy: the request may still be in flight when a timed-out attempt is retried and the buffer refilled.
        byte[] chunk = Arrays.copyOf(buffer, buffered);
        byte[] md5 = md5(chunk);
        long at = position;
        retry.call("append to", location + " at " + at, attempt -> file.appendWithResponse(BinaryData.fromBytes(chunk), at,
                new DataLakeFileAppendOptions().setContentHash(md5), null, Context.NONE));
        position += chunk.length;
        buffered = 0;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the lake file " + location + " is closed");
        }
    }

    /** Content-MD5 of each append: the service refuses a chunk damaged on the way. */
    private static byte[] md5(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
