package io.pulse.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

class StorageFailuresTest {

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource({
            "408, OperationTimedOut, TRANSIENT",
            "429, ServerBusy, TRANSIENT",
            "500, InternalError, TRANSIENT",
            "503, ServerBusy, TRANSIENT",
            "504, , TRANSIENT",
            "403, AuthenticationFailed, PERMANENT",
            "401, InvalidAuthenticationInfo, PERMANENT",
            "404, ContainerNotFound, PERMANENT",
            "404, BlobNotFound, BLOB_GONE",
            "412, ConditionNotMet, BLOB_CHANGED",
            "400, InvalidQueryParameterValue, PERMANENT",
            "501, NotImplemented, PERMANENT"})
    void classifiesStorageAnswersByStatusAndCode(int status, String code, StorageFailures.Kind kind) {
        assertThat(StorageFailures.classify(storage(status, code))).isEqualTo(kind);
    }

    @Test
    void findsTheStorageAnswerInsideTheSdksIoExceptionOfAStreamedRead() {
        Exception wrapped = new UncheckedIOException(new IOException(storage(503, "ServerBusy")));

        assertThat(StorageFailures.classify(wrapped)).isEqualTo(StorageFailures.Kind.TRANSIENT);
        assertThat(StorageFailures.describe(wrapped)).isEqualTo("503 ServerBusy");
    }

    @Test
    void noAnswerAtAllIsTransientAndAnythingElsePermanent() {
        assertThat(StorageFailures.classify(new RuntimeException(new ConnectException("Connection refused")))).isEqualTo(StorageFailures.Kind.TRANSIENT);
        assertThat(StorageFailures.classify(new RuntimeException(new TimeoutException()))).isEqualTo(StorageFailures.Kind.TRANSIENT);
        assertThat(StorageFailures.classify(new IllegalStateException("bug"))).isEqualTo(StorageFailures.Kind.PERMANENT);
    }

    @Test
    void describesWithoutTheQueryOfAUrlWhichMayHoldASignature() {
        String d = StorageFailures.describe(new RuntimeException(new ConnectException(
                "failed to reach https://acct.blob.core.windows.net/drops?sv=2024&sig=SECRET")));

        assertThat(d).contains("ConnectException").contains("acct.blob.core.windows.net/drops").doesNotContain("SECRET");
    }

    private static BlobStorageException storage(int status, String code) {
        HttpHeaders headers = new HttpHeaders();
        if (code != null) {
            headers.set(HttpHeaderName.fromString("x-ms-error-code"), code);
        }
        HttpRequest request = new HttpRequest(HttpMethod.GET, "http://127.0.0.1/devstoreaccount1/drops");
        HttpResponse response = new HttpResponse(request) {
            @Override
            public int getStatusCode() {
                return status;
            }

            @Override
            @Deprecated
            public String getHeaderValue(String name) {
                return headers.getValue(name);
            }

            @Override
            public HttpHeaders getHeaders() {
                return headers;
            }

            @Override
            public Flux<ByteBuffer> getBody() {
                return Flux.empty();
            }

            @Override
            public Mono<byte[]> getBodyAsByteArray() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString() {
                return Mono.empty();
            }

            @Override
            public Mono<String> getBodyAsString(Charset charset) {
                return Mono.empty();
            }
        };
        return new BlobStorageException("status " + status, response, null);
    }
}
