package io.pulse.lake.store.adls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pulse.lake.store.adls.InMemoryNamespace.Node;
import io.pulse.lake.store.adls.InMemoryNamespace.ServiceError;
import io.pulse.lake.store.adls.TestServerFaults.Competitor;
import io.pulse.lake.store.adls.TestServerFaults.DelayAfterApplying;
import io.pulse.lake.store.adls.TestServerFaults.Fail;
import io.pulse.lake.store.adls.TestServerFaults.Fault;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory ADLS Gen2 account (hierarchical namespace) on the JDK's HTTP server, speaking the subset of
 * the documented Data Lake Storage Gen2 REST API ({@code dfs} endpoint) that the Azure SDK sends for the
 * lake store, for tests: Azurite has no {@code dfs} endpoint.
 *
 * <p>Path-style URLs, {@code http://127.0.0.1:<port>/<account>/<file system>/<path>}, like the storage
 * emulators. Operations:
 * <ul>
 *   <li>Path Create: {@code PUT ?resource=file|directory}, with {@code If-Match}/{@code If-None-Match};
 *       as a rename with {@code x-ms-rename-source: /<fs>/<path>}, destination conditions
 *       ({@code If-None-Match: *} makes it rename-if-absent) and source conditions ({@code x-ms-source-if-*}).</li>
 *   <li>Path Update: {@code PATCH ?action=append&position=} and {@code ?action=flush&position=&close=&retainUncommittedData=}.</li>
 *   <li>Path List: {@code GET /<fs>?resource=filesystem&recursive=&directory=&maxResults=&continuation=},
 *       JSON {@code {"paths":[...]}} paged with {@code x-ms-continuation}.</li>
 *   <li>Path Delete ({@code DELETE ?recursive=}), Path Get Properties ({@code HEAD}), Path Read ({@code GET}).</li>
 *   <li>File system properties: {@code HEAD /<fs>?resource=filesystem} (dfs) or {@code ?restype=container} (blob).</li>
 * </ul>
 * Errors are the service's: status, {@code x-ms-error-code} and the JSON body
 * {@code {"error":{"code":"...","message":"..."}}} (no body for HEAD). Every request must carry a valid
 * SharedKey signature made with {@link #accountKey()}. A request the server does not understand is
 * logged and answered 400 {@code UnsupportedOperation}, and listed by {@link #unhandledRequests()}.
 *
 * <p>{@link #faults()} injects failures, delays and competing writers; {@link #files} reads back what was
 * written, {@link #copyTo} copies it into a local directory (to query it with DuckDB).
 */
public final class AdlsGen2TestServer implements AutoCloseable {
    public static final String ACCOUNT = "pulselake";
    private static final String SERVICE_VERSION = "2025-01-05";
    private static final Logger log = LoggerFactory.getLogger(AdlsGen2TestServer.class);
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** The operations, as counted by {@link #requests} and targeted by {@link TestServerFaults}. */
    public enum Operation {
        CREATE_FILE, CREATE_DIRECTORY, APPEND, FLUSH, RENAME, LIST, DELETE, GET_PROPERTIES, READ, FILESYSTEM_PROPERTIES
    }

    private final HttpServer http;
    private final ExecutorService workers;
    private final String accountKey;
    private final SharedKeyVerifier verifier;
    private final Map<String, InMemoryNamespace> fileSystems = new TreeMap<>();
    private final TestServerFaults faults = new TestServerFaults();
    private final Map<Operation, AtomicInteger> counts = new EnumMap<>(Operation.class);
    private final List<String> unhandled = new CopyOnWriteArrayList<>();
    private volatile int pageSize = 5000;
    private volatile boolean renameChecksDestinationFirst;

    private AdlsGen2TestServer() throws IOException {
        byte[] key = new byte[64];
        new SecureRandom().nextBytes(key);
        accountKey = Base64.getEncoder().encodeToString(key);
        verifier = new SharedKeyVerifier(ACCOUNT, accountKey);
        for (Operation op : Operation.values()) {
            counts.put(op, new AtomicInteger());
        }
        // One thread per request: a delayed response must not hold up the others.
        workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "adls-test-server");
            t.setDaemon(true);
            return t;
        });
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(workers);
        http.createContext("/", this::handle);
        http.start();
    }

    /** A server on a free port of the loopback interface, with no file system yet. */
    public static AdlsGen2TestServer start() {
        try {
            return new AdlsGen2TestServer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the ADLS Gen2 test server", e);
        }
    }

    /** The account's dfs endpoint, path-style: {@code http://127.0.0.1:<port>/<account>}. */
    public String endpoint() {
        return "http://" + http.getAddress().getAddress().getHostAddress() + ":" + http.getAddress().getPort() + "/" + ACCOUNT;
    }

    /** The account key (base64) that signs requests. */
    public String accountKey() {
        return accountKey;
    }

    /** A connection string for this account, as for the storage emulators (the SDK derives the dfs URL from BlobEndpoint). */
    public String connectionString() {
        return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT + ";AccountKey=" + accountKey + ";BlobEndpoint=" + endpoint() + ";";
    }

    public synchronized AdlsGen2TestServer createFileSystem(String name) {
        fileSystems.putIfAbsent(name, new InMemoryNamespace());
        return this;
    }

    public TestServerFaults faults() {
        return faults;
    }

    /** Path List pages hold at most this many paths (the service's default is 5000). */
    public void listPageSize(int paths) {
        this.pageSize = paths;
    }

    /**
     * Whether a rename whose source is gone and whose destination exists answers 409 PathAlreadyExists
     * (true) or 404 SourcePathNotFound (false, the default). The documentation does not say which check
     * comes first, so the store must cope with both.
     */
    public void renameChecksDestinationFirst(boolean destinationFirst) {
        this.renameChecksDestinationFirst = destinationFirst;
    }

    /** How many requests of {@code operation} arrived, failed ones included. */
    public int requests(Operation operation) {
        return counts.get(operation).get();
    }

    /** Requests the server did not understand (method and URI), oldest first. */
    public List<String> unhandledRequests() {
        return List.copyOf(unhandled);
    }

    /** Every file of the file system with its flushed content, by path. */
    public synchronized Map<String, byte[]> files(String fileSystem) {
        return fileSystem(fileSystem).files();
    }

    /** Writes a complete (flushed) file directly, creating its parents, as another tool would. */
    public synchronized void putFile(String fileSystem, String path, byte[] content) {
        InMemoryNamespace ns = fileSystem(fileSystem);
        Node node = ns.create(path, false);
        node.content = content.clone();
        node.touch();
    }

    /** Creates a directory directly (with its parents), as another tool would. */
    public synchronized void putDirectory(String fileSystem, String path) {
        fileSystem(fileSystem).create(path, true);
    }

    /**
     * Copies every file under {@code directory} of the file system into {@code target}, keeping the paths
     * relative to {@code directory}, and returns {@code target}.
     */
    public Path copyTo(String fileSystem, String directory, Path target) {
        String prefix = directory.isEmpty() ? "" : directory + "/";
        try {
            for (Map.Entry<String, byte[]> file : files(fileSystem).entrySet()) {
                if (file.getKey().startsWith(prefix)) {
                    Path local = target.resolve(file.getKey().substring(prefix.length()));
                    Files.createDirectories(local.getParent());
                    Files.write(local, file.getValue());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the test server's files to " + target, e);
        }
        return target;
    }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private InMemoryNamespace fileSystem(String name) {
        InMemoryNamespace ns = fileSystems.get(name);
        if (ns == null) {
            throw new ServiceError(404, "FilesystemNotFound", "The specified filesystem does not exist.");
        }
        return ns;
    }

    // ---------------------------------------------------------------------------------------------------------
    // HTTP

    /** A parsed request: file system, path inside it (empty for the file system itself), query, headers, body. */
    private record Request(String account, String method, URI uri, String fileSystem, String path, Map<String, String> query,
                           Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().isEmpty() ? null : e.getValue().get(0);
                }
            }
            return null;
        }

        String query(String name) {
            return query.get(name);
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(query.get(name));
        }

        long number(String name) {
            String v = query.get(name);
            if (v == null) {
                throw new ServiceError(400, "MissingRequiredQueryParameter", "A query parameter that's mandatory for this request is not specified: " + name);
            }
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new ServiceError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid: " + name);
            }
        }

        @Override
        public String toString() {
            return method + " " + uri;
        }
    }

    /** What to answer: status, headers, body (null: none). */
    private record Response(int status, Map<String, String> headers, byte[] body) {
        static Response of(int status) {
            return new Response(status, new LinkedHashMap<>(), null);
        }

        Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Response withPathHeaders(Node node) {
            return header("ETag", node.etag).header("Last-Modified", RFC_1123.format(node.lastModified));
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Request request = parse(exchange, exchange.getRequestBody().readAllBytes());
            ServiceError refusal = request.account().equals(ACCOUNT)
                    ? verifier.refusal(request.method(), request.uri(), request.headers())
                    : new ServiceError(400, "InvalidUri", "This server's account is " + ACCOUNT + ": " + request);
            Operation op = refusal == null ? operationOf(request) : null;
            Optional<Fault> fault = op == null ? Optional.empty() : faults.next(op);
            Response response;
            if (refusal != null) {
                log.warn("Test server refused {}: {}", request, refusal.getMessage());
                response = error(refusal);
            } else if (op == null) {
                log.warn("Test server cannot handle {} (headers {})", request, request.headers());
                unhandled.add(request.toString());
                response = error(new ServiceError(400, "UnsupportedOperation", "The test server does not implement " + request));
            } else if (fault.isPresent() && fault.get() instanceof Fail fail) {
                counts.get(op).incrementAndGet();
                response = error(new ServiceError(fail.status(), fail.code(), "Injected fault: " + fail.code() + " for " + op));
            } else {
                counts.get(op).incrementAndGet();
                response = apply(op, request);
            }
            if (fault.isPresent() && fault.get() instanceof DelayAfterApplying delay) {
                // Applied already: the client times out and retries while this answer is held back.
                Thread.sleep(delay.delay().toMillis());
            }
            log.debug("Test server: {} {} -> {}", op, request, response.status());
            send(exchange, request, response);
        } catch (IOException e) {
            log.debug("Test server could not answer (the client went away): {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("Test server failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        }
    }

    private static Request parse(HttpExchange exchange, byte[] body) {
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(SharedKeyVerifier.percentDecode(s));
            }
        }
        // /<account>/<file system>/<path...>
        String fileSystem = segments.size() > 1 ? segments.get(1) : "";
        String path = segments.size() > 2 ? String.join("/", segments.subList(2, segments.size())) : "";
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq < 0) {
                    query.put(SharedKeyVerifier.percentDecode(pair), "");
                } else {
                    query.put(SharedKeyVerifier.percentDecode(pair.substring(0, eq)), SharedKeyVerifier.percentDecode(pair.substring(eq + 1)));
                }
            }
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        String account = segments.isEmpty() ? "" : segments.get(0);
        return new Request(account, exchange.getRequestMethod(), uri, fileSystem, path, query, headers, body);
    }

    private static Operation operationOf(Request r) {
        boolean onPath = !r.path().isEmpty();
        boolean onFileSystem = !r.fileSystem().isEmpty() && !onPath;
        String resource = r.query("resource");
        String action = r.query("action");
        return switch (r.method()) {
            case "PUT" -> {
                if (onPath && r.header("x-ms-rename-source") != null) {
                    yield Operation.RENAME;
                }
                if (onPath && "file".equals(resource)) {
                    yield Operation.CREATE_FILE;
                }
                yield onPath && "directory".equals(resource) ? Operation.CREATE_DIRECTORY : null;
            }
            case "PATCH" -> !onPath ? null : "append".equals(action) ? Operation.APPEND : "flush".equals(action) ? Operation.FLUSH : null;
            case "DELETE" -> onPath ? Operation.DELETE : null;
            case "GET" -> onPath ? Operation.READ : onFileSystem && "filesystem".equals(resource) ? Operation.LIST : null;
            case "HEAD" -> onPath ? Operation.GET_PROPERTIES
                    : onFileSystem && ("filesystem".equals(resource) || "container".equals(r.query("restype"))) ? Operation.FILESYSTEM_PROPERTIES : null;
            default -> null;
        };
    }

    private Response apply(Operation op, Request r) {
        try {
            synchronized (this) {
                InMemoryNamespace ns = fileSystem(r.fileSystem());
                return switch (op) {
                    case CREATE_FILE, CREATE_DIRECTORY -> create(ns, r, op == Operation.CREATE_DIRECTORY);
                    case APPEND -> append(ns, r);
                    case FLUSH -> flush(ns, r);
                    case RENAME -> rename(ns, r);
                    case LIST -> list(ns, r);
                    case DELETE -> delete(ns, r);
                    case GET_PROPERTIES -> properties(ns, r);
                    case READ -> read(ns, r);
                    case FILESYSTEM_PROPERTIES -> Response.of(200).header("ETag", "\"0x8DC5E0000000001\"")
                            .header("Last-Modified", RFC_1123.format(Instant.EPOCH)).header("x-ms-namespace-enabled", "true");
                };
            }
        } catch (ServiceError e) {
            return error(e);
        }
    }

    private static Response create(InMemoryNamespace ns, Request r, boolean directory) {
        checkConditions(ns.get(r.path()), r.header("If-Match"), r.header("If-None-Match"), "");
        Node node = ns.create(r.path(), directory);
        return Response.of(201).withPathHeaders(node).header("Content-Length", "0");
    }

    private static Response append(InMemoryNamespace ns, Request r) {
        String md5 = r.header("Content-MD5");
        if (md5 != null && !md5.equals(Base64.getEncoder().encodeToString(md5Of(r.body())))) {
            throw new ServiceError(400, "Md5Mismatch", "The MD5 value specified in the request did not match with the MD5 value calculated by the server.");
        }
        ns.append(r.path(), r.number("position"), r.body());
        return Response.of(202).header("x-ms-request-server-encrypted", "true");
    }

    private static Response flush(InMemoryNamespace ns, Request r) {
        Node existing = ns.require(r.path());
        checkConditions(existing, r.header("If-Match"), r.header("If-None-Match"), "");
        Node node = ns.flush(r.path(), r.number("position"), r.flag("retainUncommittedData"));
        return Response.of(200).withPathHeaders(node).header("Content-Length", "0");
    }

    private Response rename(InMemoryNamespace ns, Request r) {
        String source = renameSource(r);
        Optional<Competitor> competitor = faults.nextCompetitor();
        if (competitor.isPresent()) {
            Node src = ns.get(source);
            byte[] content = competitor.get().copiesSource() ? (src == null ? new byte[0] : src.content) : competitor.get().content();
            Node theirs = ns.create(r.path(), false);
            theirs.content = content.clone();
            theirs.touch();
            log.info("Test server: a competing writer created {} just before the rename of {}", r.path(), source);
        }
        if (renameChecksDestinationFirst) {
            checkConditions(ns.get(r.path()), r.header("If-Match"), r.header("If-None-Match"), "");
        }
        Node src = ns.get(source);
        if (src == null) {
            throw new ServiceError(404, "SourcePathNotFound", "The source path for a rename operation does not exist.");
        }
        checkConditions(src, r.header("x-ms-source-if-match"), r.header("x-ms-source-if-none-match"), "Source");
        checkConditions(ns.get(r.path()), r.header("If-Match"), r.header("If-None-Match"), "");
        ns.rename(source, r.path());
        return Response.of(201).withPathHeaders(ns.get(r.path())).header("Content-Length", "0");
    }

    /** x-ms-rename-source: "/{filesystem}/{path}[?sas]", URL-encoded; only renames within the same file system. */
    private static String renameSource(Request r) {
        String header = r.header("x-ms-rename-source");
        int q = header.indexOf('?');
        String raw = q < 0 ? header : header.substring(0, q);
        List<String> segments = new ArrayList<>();
        for (String s : raw.split("/")) {
            if (!s.isEmpty()) {
                segments.add(SharedKeyVerifier.percentDecode(s));
            }
        }
        if (segments.size() < 2) {
            throw new ServiceError(400, "InvalidSourceUri", "The source URI is invalid: " + header);
        }
        if (!segments.get(0).equals(r.fileSystem())) {
            throw new ServiceError(400, "InvalidSourceUri", "The test server renames within one file system only: " + header);
        }
        return String.join("/", segments.subList(1, segments.size()));
    }

    private Response list(InMemoryNamespace ns, Request r) {
        String directory = Optional.ofNullable(r.query("directory")).orElse("").replaceAll("^/+|/+$", "");
        boolean recursive = r.flag("recursive");
        int max = r.query("maxResults") == null ? pageSize : (int) Math.min(pageSize, r.number("maxResults"));
        String after = r.query("continuation") == null || r.query("continuation").isEmpty() ? null
                : new String(Base64.getUrlDecoder().decode(r.query("continuation")), StandardCharsets.UTF_8);
        List<Map.Entry<String, Node>> page = ns.list(directory, recursive, after, max);
        StringBuilder json = new StringBuilder("{\"paths\":[");
        for (int i = 0; i < page.size(); i++) {
            String name = page.get(i).getKey();
            Node node = page.get(i).getValue();
            json.append(i == 0 ? "" : ",").append("{\"name\":").append(quote(name));
            if (node.directory) {
                json.append(",\"isDirectory\":\"true\"");
            }
            json.append(",\"contentLength\":\"").append(node.directory ? 0 : node.content.length).append('"')
                    .append(",\"lastModified\":").append(quote(RFC_1123.format(node.lastModified)))
                    .append(",\"etag\":").append(quote(node.etag.replace("\"", "")))
                    .append(",\"owner\":\"$superuser\",\"group\":\"$superuser\",\"permissions\":")
                    .append(quote(node.directory ? "rwxr-x---" : "rw-r-----")).append('}');
        }
        json.append("]}");
        Response response = new Response(200, new LinkedHashMap<>(), json.toString().getBytes(StandardCharsets.UTF_8))
                .header("Content-Type", "application/json;charset=utf-8");
        if (!page.isEmpty() && ns.hasMoreAfter(directory, recursive, page.get(page.size() - 1).getKey())) {
            String last = page.get(page.size() - 1).getKey();
            response.header("x-ms-continuation", Base64.getUrlEncoder().withoutPadding().encodeToString(last.getBytes(StandardCharsets.UTF_8)));
        }
        return response;
    }

    private static Response delete(InMemoryNamespace ns, Request r) {
        checkConditions(ns.require(r.path()), r.header("If-Match"), r.header("If-None-Match"), "");
        ns.delete(r.path(), r.flag("recursive"));
        return Response.of(200).header("Content-Length", "0");
    }

    private static Response properties(InMemoryNamespace ns, Request r) {
        Node node = ns.require(r.path());
        return Response.of(200).withPathHeaders(node)
                .header("x-ms-resource-type", node.directory ? "directory" : "file")
                .header("x-ms-content-length", Long.toString(node.directory ? 0 : node.content.length))
                .header("x-ms-owner", "$superuser").header("x-ms-group", "$superuser")
                .header("x-ms-permissions", node.directory ? "rwxr-x---" : "rw-r-----");
    }

    private static Response read(InMemoryNamespace ns, Request r) {
        Node node = ns.require(r.path());
        if (node.directory) {
            throw new ServiceError(409, "PathConflict", "The path is a directory.");
        }
        return new Response(200, new LinkedHashMap<>(), node.content.clone()).withPathHeaders(node)
                .header("Content-Type", "application/octet-stream").header("x-ms-resource-type", "file");
    }

    /**
     * If-Match / If-None-Match on a path (or its x-ms-source-* twins): {@code *} means "exists"; a missing path
     * never matches. A failed If-None-Match: * answers 409 PathAlreadyExists like the service, others 412.
     */
    private static void checkConditions(Node node, String ifMatch, String ifNoneMatch, String which) {
        if (ifMatch != null && (node == null || !(ifMatch.equals("*") || ifMatch.equals(node.etag)))) {
            throw new ServiceError(412, which + "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
        }
        if (ifNoneMatch != null && node != null) {
            if (ifNoneMatch.equals("*")) {
                throw new ServiceError(409, which.isEmpty() ? "PathAlreadyExists" : "SourceConditionNotMet",
                        "The specified path already exists.");
            }
            if (ifNoneMatch.equals(node.etag)) {
                throw new ServiceError(412, which + "ConditionNotMet", "The condition specified using HTTP conditional header(s) is not met.");
            }
        }
    }

    private static Response error(ServiceError e) {
        String json = "{\"error\":{\"code\":" + quote(e.code) + ",\"message\":" + quote(e.getMessage() + "\nRequestId:" + UUID.randomUUID()
                + "\nTime:" + Instant.now()) + "}}";
        return new Response(e.status, new LinkedHashMap<>(), json.getBytes(StandardCharsets.UTF_8))
                .header("x-ms-error-code", e.code).header("Content-Type", "application/json;charset=utf-8");
    }

    private static void send(HttpExchange exchange, Request request, Response response) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("x-ms-request-id", UUID.randomUUID().toString());
        headers.set("x-ms-version", Optional.ofNullable(request.header("x-ms-version")).orElse(SERVICE_VERSION));
        headers.set("Date", RFC_1123.format(Instant.now()));
        if (request.header("x-ms-client-request-id") != null) {
            headers.set("x-ms-client-request-id", request.header("x-ms-client-request-id"));
        }
        response.headers().forEach((k, v) -> {
            if (!k.equalsIgnoreCase("Content-Length")) {
                headers.set(k, v);
            }
        });
        boolean head = request.method().equals("HEAD");
        if (head || response.body() == null || response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            exchange.sendResponseHeaders(response.status(), response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static byte[] md5Of(byte[] data) {
        try {
            return MessageDigest.getInstance("MD5").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** For logs and failure messages. */
    @Override
    public String toString() {
        return "AdlsGen2TestServer[" + endpoint() + ", requests=" + counts + "]";
    }
}
