package io.pulse.ingest.blob;

import java.time.OffsetDateTime;
import java.util.Objects;

/**
 * One version of a dropped blob, as the container listing showed it: a blob re-uploaded under the same name has a
 * new ETag and is a new drop. The ETag is kept without quotes (the listing and the response headers of the service
 * differ in quoting), so one version has one spelling in the ledger and in event ids.
 */
record BlobDrop(String name, String etag, long size, OffsetDateTime lastModified, BlobFormat format) {
    BlobDrop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        etag = unquoted(Objects.requireNonNull(etag, "etag"));
    }

    /** The ETag as an {@code If-Match} condition wants it: quoted. */
    String ifMatch() {
        return "\"" + etag + "\"";
    }

    static String unquoted(String etag) {
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
    }
}
