package io.pulse.common.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * A client for the subset of the Confluent Schema Registry REST API that Pulse uses, over the JDK's
 * {@link HttpClient}. Works against Confluent's registry, compatible ones, and Pulse's embedded registry.
 *
 * <p>Every request has a bounded timeout. Error answers become the typed exceptions of this package,
 * naming the subject, version or id and quoting the registry's message; a registry that cannot be
 * reached becomes a {@link SchemaRegistryException} naming its URL. Nothing is cached here: wrap in
 * {@link CachingSchemaRegistryClient}. Thread safe.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    /** Confluent's content type, version 1 of the API. */
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUOTED_BODY = 300;

    private final URI baseUrl;
    private final String base;
    private final Duration timeout;
    private final Optional<String> authorization;
    private final HttpClient http;

    private RestSchemaRegistryClient(Builder builder) {
        this.baseUrl = builder.baseUrl;
        String url = builder.baseUrl.toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        this.timeout = builder.timeout;
        this.authorization = Optional.ofNullable(builder.basicAuthUser).map(user -> "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + builder.basicAuthPassword).getBytes(StandardCharsets.UTF_8)));
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** A client with the default timeout and no authentication. */
    public RestSchemaRegistryClient(URI baseUrl) {
        this(builder(baseUrl).validate());
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public int register(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", body, Context.subject(subject));
        return requiredInt(answer, "id", "registering under subject '" + subject + "'");
    }

    @Override
    public Schema getById(int id) {
        JsonNode answer = send("GET", "/schemas/ids/" + id, null, Context.id(id));
        return parseSchema(answer, "schema id " + id);
    }

    @Override
    public List<Integer> getVersions(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions", null, Context.subject(subject));
        if (!answer.isArray()) {
            throw malformed("the versions of subject '" + subject + "'", "expected a JSON array");
        }
        List<Integer> versions = new ArrayList<>();
        answer.forEach(v -> versions.add(v.asInt()));
        return List.copyOf(versions);
    }

    @Override
    public RegisteredSchema getVersion(String subject, int version) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/" + version, null,
                Context.version(subject, version));
        return registeredSchema(subject, answer, "version " + version + " of subject '" + subject + "'");
    }

    @Override
    public RegisteredSchema getLatest(String subject) {
        JsonNode answer = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null, Context.subject(subject));
        return registeredSchema(subject, answer, "the latest version of subject '" + subject + "'");
    }

    /**
     * Checks against the latest version ({@code POST /compatibility/subjects/{s}/versions/latest}); a
     * subject without versions accepts any schema.
     */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        try {
            JsonNode answer = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body,
                    Context.subject(subject));
            JsonNode compatible = answer.get("is_compatible");
            if (compatible == null || !compatible.isBoolean()) {
                throw malformed("the compatibility check of subject '" + subject + "'", "no boolean 'is_compatible'");
            }
            return compatible.asBoolean();
        } catch (SubjectNotFoundException noVersionYet) {
            // Older registries answer 40401 where newer ones answer is_compatible=true: nothing registered, nothing to break.
            return true;
        }
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + base + "]";
    }

    private JsonNode send(String method, String path, JsonNode body, Context context) {
        URI uri = URI.create(base + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        authorization.ifPresent(value -> request.header("Authorization", value));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", CONTENT_TYPE);
            request.method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " did not answer " + method + " " + path
                    + " within " + timeout, SchemaRegistryException.NO_RESPONSE, e);
        } catch (IOException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " is unreachable (" + method + " " + path + "): "
                    + e, SchemaRegistryException.NO_RESPONSE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while calling the schema registry at " + base + " (" + method
                    + " " + path + ")", SchemaRegistryException.NO_RESPONSE, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw error(method, path, response, context);
        }
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new SchemaRegistryException("Schema registry at " + base + " answered " + method + " " + path
                    + " with a body that is not JSON: " + abbreviate(response.body()), response.statusCode(), e);
        }
    }

    private SchemaRegistryException error(String method, String path, HttpResponse<String> response, Context context) {
        int status = response.statusCode();
        int code = status;
        String message = abbreviate(response.body());
        try {
            JsonNode error = JSON.readTree(response.body());
            if (error != null && error.hasNonNull("error_code")) {
                code = error.get("error_code").asInt(status);
                message = error.path("message").asText("");
            }
        } catch (JsonProcessingException notJson) {
            // Not Confluent's error shape (a proxy's page, say): the status and the abbreviated body above say what happened.
            message = "(not JSON) " + message;
        }
        SchemaRegistryException typed = context.typed(code, message);
        if (typed != null) {
            return typed;
        }
        return new SchemaRegistryException("Schema registry at " + base + " answered " + method + " " + path + " with HTTP "
                + status + " (error code " + code + "): " + message, code);
    }

    private RegisteredSchema registeredSchema(String subject, JsonNode answer, String what) {
        int version = requiredInt(answer, "version", what);
        int id = requiredInt(answer, "id", what);
        return new RegisteredSchema(answer.path("subject").asText(subject), version, id, parseSchema(answer, what));
    }

    private Schema parseSchema(JsonNode answer, String what) {
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type.toUpperCase(Locale.ROOT))) {
            throw new SchemaRegistryException("The schema registry at " + base + " holds a " + type + " schema for " + what
                    + "; Pulse reads Avro only", InvalidSchemaException.CODE);
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw malformed(what, "no 'schema' string");
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException("The schema registry at " + base + " returned an invalid Avro schema for "
                    + what + ": " + e.getMessage(), InvalidSchemaException.CODE, e);
        }
    }

    private int requiredInt(JsonNode answer, String field, String what) {
        JsonNode value = answer.get(field);
        if (value == null || !value.canConvertToInt()) {
            throw malformed(what, "no integer '" + field + "'");
        }
        return value.asInt();
    }

    private SchemaRegistryException malformed(String what, String problem) {
        return new SchemaRegistryException("Unexpected answer from the schema registry at " + base + " for " + what + ": "
                + problem, SchemaRegistryException.NO_RESPONSE);
    }

    /** Encodes a path segment: subjects may hold any character, '/' and ' ' included. */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(String body) {
        if (body == null) {
            return "";
        }
        return body.length() <= MAX_QUOTED_BODY ? body : body.substring(0, MAX_QUOTED_BODY) + "...";
    }

    /** What a request was about, to turn Confluent's error codes into the typed exceptions. */
    private record Context(String subject, Integer version, Integer id) {
        static Context subject(String subject) {
            return new Context(subject, null, null);
        }

        static Context version(String subject, int version) {
            return new Context(subject, version, null);
        }

        static Context id(int id) {
            return new Context(null, null, id);
        }

        SchemaRegistryException typed(int code, String message) {
            if (code == SubjectNotFoundException.CODE && subject != null) {
                return new SubjectNotFoundException(subject, message);
            }
            if (code == VersionNotFoundException.CODE && subject != null) {
                return version == null ? new SubjectNotFoundException(subject, message)
                        : new VersionNotFoundException(subject, version, message);
            }
            if (code == SchemaNotFoundException.CODE && id != null) {
                return new SchemaNotFoundException(id, message);
            }
            if (code == IncompatibleSchemaException.CODE && subject != null) {
                return new IncompatibleSchemaException(subject, message);
            }
            if ((code == InvalidSchemaException.CODE || code == 422) && subject != null) {
                return new InvalidSchemaException(subject, message);
            }
            return null;
        }
    }

    /** Configuration of a {@link RestSchemaRegistryClient}; {@link #build()} rejects what cannot work. */
    public static final class Builder {
        private final URI baseUrl;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String basicAuthUser;
        private String basicAuthPassword;

        private Builder(URI baseUrl) {
            this.baseUrl = baseUrl;
        }

        /** Connect and request timeout, each. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** HTTP basic authentication (Confluent Cloud: API key and secret). */
        public Builder basicAuth(String user, String password) {
            this.basicAuthUser = user;
            this.basicAuthPassword = password;
            return this;
        }

        public RestSchemaRegistryClient build() {
            return new RestSchemaRegistryClient(validate());
        }

        private Builder validate() {
            if (baseUrl == null) {
                throw new IllegalArgumentException("schema registry URL is required");
            }
            String scheme = Objects.requireNonNullElse(baseUrl.getScheme(), "").toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("schema registry URL must be http(s)://host[:port][/path], got '" + baseUrl + "'");
            }
            if (baseUrl.getRawUserInfo() != null) {
                throw new IllegalArgumentException("schema registry URL must not carry credentials; use basicAuth(user, password)");
            }
            if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("schema registry URL must not have a query or fragment, got '" + baseUrl + "'");
            }
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("schema registry timeout must be a positive duration, got '" + timeout + "'");
            }
            if ((basicAuthUser == null) != (basicAuthPassword == null)) {
                throw new IllegalArgumentException("schema registry basic auth needs both a user and a password");
            }
            return this;
        }
    }
}
