package io.pulse.api.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Forwarding over real HTTP to a real server standing in for the instance that owns the data. */
class RequestForwarderTest {
    private final RequestForwarder forwarder = new RequestForwarder(Duration.ofSeconds(1), Duration.ofMillis(500));
    private final Map<String, String> received = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private Javalin owner;

    @BeforeEach
    void start() {
        owner = Javalin.create(cfg -> {
            cfg.routes.get("/api/v1/tenants/{tenant}/metrics", ctx -> {
                received.put("path", ctx.path());
                received.put("query", String.valueOf(ctx.queryString()));
                received.put("authorization", String.valueOf(ctx.header("Authorization")));
                received.put("forwarded", String.valueOf(ctx.header(IncomingRequest.FORWARDED_HEADER)));
                ctx.status(503).header("Retry-After", "3").contentType("application/json").result("{\"status\":503,\"error\":\"restoring\"}");
            });
            cfg.routes.get("/slow", ctx -> release.await(5, TimeUnit.SECONDS));
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        release.countDown();
        owner.stop();
    }

    @Test
    void sendsTheSameRequestWithTheCallersTokenAndAHopMarkerAndRelaysTheAnswerAsIs() {
        IncomingRequest request = new IncomingRequest("/api/v1/tenants/contoso/metrics?window=PT5M&from=2026-11-21T10:00:00Z",
                Optional.of("Bearer abc.def.ghi"), false);

        Optional<Answer.Relayed> answer = forwarder.forward(new HostInfo("127.0.0.1", owner.port()), request);

        assertThat(received).containsEntry("path", "/api/v1/tenants/contoso/metrics")
                .containsEntry("query", "window=PT5M&from=2026-11-21T10:00:00Z")
                .containsEntry("authorization", "Bearer abc.def.ghi")
                .containsEntry("forwarded", "1");
        assertThat(answer).hasValueSatisfying(a -> {
            assertThat(a.status()).isEqualTo(503);
            assertThat(a.retryAfter()).contains("3");
            assertThat(a.body()).isEqualTo("{\"status\":503,\"error\":\"restoring\"}");
            assertThat(a.contentType()).startsWith("application/json");
            assertThat(a.from()).isEqualTo("127.0.0.1:" + owner.port());
        });
    }

    @Test
    void sendsNoAuthorizationWhenTheCallerSentNone() {
        forwarder.forward(new HostInfo("127.0.0.1", owner.port()), new IncomingRequest("/api/v1/tenants/contoso/metrics", Optional.empty(), false));

        assertThat(received).containsEntry("authorization", "null").containsEntry("forwarded", "1");
    }

    @Test
    void anInstanceThatIsGoneOrTooSlowGivesNoAnswerRatherThanAnError() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        IncomingRequest request = new IncomingRequest("/slow", Optional.empty(), false);

        long started = System.nanoTime();
        assertThat(forwarder.forward(new HostInfo("127.0.0.1", closedPort), request)).isEmpty();
        assertThat(forwarder.forward(new HostInfo("127.0.0.1", owner.port()), request)).as("slower than the response timeout").isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }
}
