package io.pulse.api.routing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request on to the instance that owns its data, with one HTTP client shared by every request of this
 * instance (connection pool, bounded connect and response times), and brings back its answer as is. The forwarded
 * request carries the caller's {@code Authorization} header and {@link IncomingRequest#FORWARDED_HEADER}.
 */
public final class RequestForwarder {
    private static final Logger log = LoggerFactory.getLogger(RequestForwarder.class);

    private final HttpClient http;
    private final Duration responseTimeout;
    /** Instances last found unreachable: a failure is logged when it starts and when it ends, not at every request. */
    private final Map<String, Boolean> unreachable = new ConcurrentHashMap<>();

    /**
     * @param connectTimeout  how long to wait for a connection: an instance that crashed must not hold callers long
     * @param responseTimeout how long to wait for the answer once connected
     */
    public RequestForwarder(Duration connectTimeout, Duration responseTimeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.responseTimeout = responseTimeout;
    }

    /** 1 s to connect, 5 s to answer. */
    public static RequestForwarder withDefaultTimeouts() {
        return new RequestForwarder(Duration.ofSeconds(1), Duration.ofSeconds(5));
    }

    /**
     * The answer of {@code instance} to {@code request}; empty when it could not be reached or did not answer in
     * time (then the caller answers otherwise: from a local copy, or 503).
     */
    public Optional<Answer.Relayed> forward(HostInfo instance, IncomingRequest request) {
        String target = instance.host() + ":" + instance.port();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + target + request.pathAndQuery()))
                .timeout(responseTimeout)
                .header(IncomingRequest.FORWARDED_HEADER, "1")
                .GET();
        request.authorization().ifPresent(a -> b.header("Authorization", a));
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (unreachable.remove(target) != null) {
                log.info("Instance {} answers again", target);
            }
            return Optional.of(new Answer.Relayed(target, r.statusCode(),
                    r.headers().firstValue("Content-Type").orElse("application/json"), r.body(), r.headers().firstValue("Retry-After")));
        } catch (IOException e) {
            if (unreachable.put(target, Boolean.TRUE) == null) {
                log.warn("Instance {} did not answer a forwarded query ({}); answering from local copies until it does", target, e.toString());
            }
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
