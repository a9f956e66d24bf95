package io.pulse.ingest.blob;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The event id of a line that brings none: a name-based UUID of the line's coordinates (account, container, blob,
 * ETag, line number). Reading the same version of a blob again gives every line the same id, so events delivered
 * twice (a crash between delivery and the ledger's record) are de-duplicated by event id downstream; a new
 * version (new ETag) is a new drop with new ids.
 */
final class BlobEventIds {
    private BlobEventIds() {
    }

    static String of(String account, String container, String blob, String etag, long line) {
        String name = "pulse-blob-line\n" + account + "\n" + container + "\n" + blob + "\n" + etag + "\n" + line;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
