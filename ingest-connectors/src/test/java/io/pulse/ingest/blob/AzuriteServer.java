package io.pulse.ingest.blob;

import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Azurite blob service (the Azure Storage emulator from npm, pinned in {@code build-support/azurite}) as a
 * child process on a free loopback port, its data under a test's directory. {@link #stop()} and {@link #start()}
 * again keep the port and the data: a storage outage. Fails, never skips, when Azurite is not installed.
 */
final class AzuriteServer implements AutoCloseable {
    /** Azurite's well-known development account and key (public, in Microsoft's documentation). */
    static final String ACCOUNT = "devstoreaccount1";
    static final String KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final String INSTALL = "npm ci --prefix build-support/azurite";

    private final Path executable;
    private final Path location;
    private final int port;
    private Process process;

    private AzuriteServer(Path executable, Path location, int port) {
        this.executable = executable;
        this.location = location;
        this.port = port;
    }

    /** Starts Azurite with its data under {@code location}. */
    static AzuriteServer start(Path location) {
        AzuriteServer server = new AzuriteServer(executable(), location, freePort());
        server.start();
        return server;
    }

    synchronized void start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Azurite is running already");
        }
        try {
            Files.createDirectories(location);
            ProcessBuilder pb = new ProcessBuilder(List.of(executable.toString(),
                    "--blobHost", "127.0.0.1", "--blobPort", Integer.toString(port), "--location", location.toString(),
                    "--silent", "--skipApiVersionCheck", "--disableTelemetry"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Azurite (" + executable + "): " + e.getMessage()
                    + "; run '" + INSTALL + "' from the project root", e);
        }
        try {
            await("Azurite listening on 127.0.0.1:" + port).atMost(STARTUP).pollInterval(Duration.ofMillis(100))
                    .until(() -> !process.isAlive() || listening());
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException("Azurite did not listen on port " + port + " within " + STARTUP + "; its log:\n" + logText(), e);
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("Azurite exited with code " + process.exitValue() + "; its log:\n" + logText());
        }
    }

    /** Stops the process (and its children); the data stays for {@link #start()}. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        await("port " + port + " released").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> !listening());
    }

    @Override
    public void close() {
        stop();
    }

    int port() {
        return port;
    }

    String blobEndpoint() {
        return "http://127.0.0.1:" + port + "/" + ACCOUNT;
    }

    String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + KEY + ";BlobEndpoint=" + blobEndpoint() + ";";
    }

    /** A client of {@code name} for the test's own uploads (created if missing). */
    BlobContainerClient container(String name) {
        BlobContainerClient client = new BlobServiceClientBuilder().connectionString(connectionString()).buildClient()
                .getBlobContainerClient(name);
        client.createIfNotExists();
        return client;
    }

    private Path log() {
        return location.resolve("azurite.log");
    }

    private String logText() {
        try {
            return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private boolean listening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code build-support/azurite/node_modules/.bin/azurite-blob} of this checkout, or a failure that says how to install it. */
    private static Path executable() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("build-support/azurite/package.json"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("build-support/azurite/package.json not found above " + Path.of("").toAbsolutePath());
        }
        Path bin = dir.resolve("build-support/azurite/node_modules/.bin/azurite-blob");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("Azurite is not installed (" + bin + " is missing): run '" + INSTALL
                    + "' from the project root (needs Node.js and npm); the Azure Blob tests need the real emulator");
        }
        return bin;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port: " + e.getMessage(), e);
        }
    }
}
