package io.pulse.embedded.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pulse.common.registry.CompatibilityLevel;
import io.pulse.common.registry.IncompatibleSchemaException;
import io.pulse.common.registry.InvalidSchemaException;
import io.pulse.common.registry.RegistryState;
import io.pulse.common.registry.SchemaNotFoundException;
import io.pulse.common.registry.SchemaRegistryClient.RegisteredSchema;
import io.pulse.common.registry.SchemaRegistryException;
import io.pulse.common.registry.SubjectNotFoundException;
import io.pulse.common.registry.VersionNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent Schema Registry REST subset over a {@link RegistryState} whose changes are stored in a
 * {@link SchemaLog} first. Routes requests, reads and writes JSON, and maps every failure to Confluent's
 * error body in one place ({@link #answerError}).
 */
final class RegistryHttpHandler implements HttpHandler {
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 8 * 1024 * 1024;
    private static final int STORE_ERROR = 50001;
    private static final int INTERNAL_ERROR = 500;

    private final RegistryState state;
    private final SchemaLog schemaLog;

    RegistryHttpHandler(RegistryState state, SchemaLog schemaLog) {
        this.state = state;
        this.schemaLog = schemaLog;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getRawPath();
        try {
            answer(exchange, 200, route(method, path, exchange));
        } catch (RuntimeException e) {
            answerError(exchange, method, path, e);
        } finally {
            exchange.close();
        }
    }

    private JsonNode route(String method, String rawPath, HttpExchange exchange) throws IOException {
        List<String> p = segments(rawPath);
        int n = p.size();
        if (n == 0 && method.equals("GET")) {
            return JSON.createObjectNode();
        }
        if (n == 1 && p.get(0).equals("subjects") && method.equals("GET")) {
            return strings(state.subjects());
        }
        if (n == 2 && p.get(0).equals("subjects") && method.equals("POST")) {
            return lookup(p.get(1), body(exchange));
        }
        if (n == 3 && p.get(0).equals("subjects") && p.get(2).equals("versions")) {
            if (method.equals("GET")) {
                return ints(state.versions(p.get(1)));
            }
            if (method.equals("POST")) {
                return register(p.get(1), body(exchange));
            }
        }
        if (n == 4 && p.get(0).equals("subjects") && p.get(2).equals("versions") && method.equals("GET")) {
            return versionJson(version(p.get(1), p.get(3)));
        }
        if (n == 3 && p.get(0).equals("schemas") && p.get(1).equals("ids") && method.equals("GET")) {
            return JSON.createObjectNode().put("schema", state.schemaById(id(p.get(2), method, rawPath)).toString());
        }
        if (n >= 4 && n <= 5 && p.get(0).equals("compatibility") && p.get(1).equals("subjects") && p.get(3).equals("versions")
                && method.equals("POST")) {
            return compatibility(p.get(2), n == 5 ? p.get(4) : null, body(exchange), exchange);
        }
        if (n == 1 && p.get(0).equals("config")) {
            if (method.equals("GET")) {
                return JSON.createObjectNode().put("compatibilityLevel", state.compatibility().name());
            }
            if (method.equals("PUT")) {
                return setCompatibility(body(exchange));
            }
        }
        throw ApiError.notFound(method, rawPath);
    }

    private JsonNode register(String subject, JsonNode body) {
        Schema schema = schema(subject, body);
        RegisteredSchema registered = state.register(subject, schema, schemaLog::append);
        return JSON.createObjectNode().put("id", registered.id());
    }

    private JsonNode lookup(String subject, JsonNode body) {
        Schema schema = schema(subject, body);
        state.versions(subject); // 40401 before 40403, as Confluent answers
        RegisteredSchema registered = state.lookup(subject, schema).orElseThrow(() -> new ApiError(404,
                SchemaNotFoundException.CODE, "Schema not found under subject '" + subject + "'"));
        return versionJson(registered);
    }

    private JsonNode compatibility(String subject, String version, JsonNode body, HttpExchange exchange) {
        Schema schema = schema(subject, body);
        List<String> problems;
        if (version == null) {
            problems = state.problems(subject, schema);
        } else if (isLatest(version) && !state.subjects().contains(subject)) {
            problems = List.of(); // nothing registered, nothing to break
        } else {
            problems = state.problemsAgainst(subject, schema, version(subject, version).version());
        }
        ObjectNode answer = JSON.createObjectNode().put("is_compatible", problems.isEmpty());
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null && Arrays.asList(query.split("&")).contains("verbose=true")) {
            answer.set("messages", strings(problems));
        }
        return answer;
    }

    private JsonNode setCompatibility(JsonNode body) {
        String requested = body.path("compatibility").asText(null);
        CompatibilityLevel level;
        try {
            level = CompatibilityLevel.parse(requested);
        } catch (IllegalArgumentException e) {
            throw new ApiError(422, ApiError.INVALID_COMPATIBILITY_LEVEL, e.getMessage());
        }
        state.setCompatibility(level, schemaLog::appendCompatibility);
        return JSON.createObjectNode().put("compatibility", level.name());
    }

    private RegisteredSchema version(String subject, String version) {
        if (isLatest(version)) {
            return state.latest(subject);
        }
        long number = version.matches("\\d{1,10}") ? Long.parseLong(version) : 0;
        if (number < 1 || number > Integer.MAX_VALUE) {
            throw new ApiError(422, ApiError.INVALID_VERSION, "The specified version '" + version
                    + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }
        return state.version(subject, (int) number);
    }

    private static boolean isLatest(String version) {
        return version.equals("latest") || version.equals("-1");
    }

    private static int id(String text, String method, String rawPath) {
        long id = text.matches("\\d{1,10}") ? Long.parseLong(text) : -1;
        if (id < 0 || id > Integer.MAX_VALUE) {
            throw ApiError.notFound(method, rawPath);
        }
        return (int) id;
    }

    private static Schema schema(String subject, JsonNode body) {
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equalsIgnoreCase("AVRO")) {
            throw new InvalidSchemaException(subject, "schema type " + type + " is not supported, only AVRO");
        }
        if (body.path("references").isArray() && !body.path("references").isEmpty()) {
            throw new InvalidSchemaException(subject, "schema references are not supported; inline the named types");
        }
        JsonNode text = body.get("schema");
        if (text == null || !text.isTextual() || text.asText().isBlank()) {
            throw new InvalidSchemaException(subject, "the request has no 'schema' string");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new InvalidSchemaException(subject, e.getMessage(), e);
        }
    }

    private static JsonNode versionJson(RegisteredSchema registered) {
        return JSON.createObjectNode()
                .put("subject", registered.subject())
                .put("version", registered.version())
                .put("id", registered.id())
                .put("schema", registered.schema().toString());
    }

    private static JsonNode body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiError(413, 413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw ApiError.badRequest("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("The request body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Path segments, percent-decoded one by one so that an encoded '/' stays inside its segment. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String raw : rawPath.split("/")) {
            if (!raw.isEmpty()) {
                segments.add(URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        return segments;
    }

    private void answerError(HttpExchange exchange, String method, String path, RuntimeException e) throws IOException {
        int status;
        int code;
        if (e instanceof ApiError api) {
            status = api.status();
            code = api.errorCode();
        } else if (e instanceof SubjectNotFoundException || e instanceof VersionNotFoundException
                || e instanceof SchemaNotFoundException) {
            status = 404;
            code = ((SchemaRegistryException) e).errorCode();
        } else if (e instanceof IncompatibleSchemaException) {
            status = 409;
            code = IncompatibleSchemaException.CODE;
        } else if (e instanceof InvalidSchemaException) {
            status = 422;
            code = InvalidSchemaException.CODE;
        } else if (e instanceof EmbeddedRegistryException) {
            status = 500;
            code = STORE_ERROR;
            log.error("Schema registry could not serve {} {}: {}", method, path, e.getMessage(), e);
        } else {
            status = 500;
            code = INTERNAL_ERROR;
            log.error("Schema registry failed on {} {}", method, path, e);
        }
        ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", String.valueOf(e.getMessage()));
        answer(exchange, status, body);
    }

    private static void answer(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static ArrayNode ints(List<Integer> values) {
        ArrayNode array = JSON.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
