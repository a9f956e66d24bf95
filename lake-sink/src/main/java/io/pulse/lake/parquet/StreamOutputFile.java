package io.pulse.lake.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Lets Parquet write to any {@link OutputStream} (a local file, later an ADLS upload), counting the
 * bytes for Parquet's footer offsets. Usable once: a Parquet file is written front to back.
 */
final class StreamOutputFile implements OutputFile {
    private final OutputStream target;
    private final String location;
    private boolean created;

    StreamOutputFile(OutputStream target, String location) {
        this.target = Objects.requireNonNull(target, "target");
        this.location = Objects.requireNonNull(location, "location");
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) {
        if (created) {
            throw new IllegalStateException("Parquet output " + location + " was already opened once");
        }
        created = true;
        return new CountingStream(target);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return create(blockSizeHint);
    }

    @Override
    public boolean supportsBlockSize() {
        return false;
    }

    @Override
    public long defaultBlockSize() {
        return 0;
    }

    @Override
    public String getPath() {
        return location;
    }

    private static final class CountingStream extends PositionOutputStream {
        private final OutputStream out;
        private long position;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public long getPos() {
            return position;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            position += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
