package io.pulse.lake.store.adls;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a request's {@code Authorization: SharedKey <account>:<signature>} the way Azure Storage does
 * ("Authorize with Shared Key", Blob/Queue/File/Data Lake string-to-sign, version 2009-09-19 and later):
 * HMAC-SHA256 with the account key over the verb, the standard headers, the canonicalized
 * {@code x-ms-} headers and the canonicalized resource.
 */
final class SharedKeyVerifier {
    private final String account;
    private final byte[] key;

    SharedKeyVerifier(String account, String base64Key) {
        this.account = account;
        this.key = Base64.getDecoder().decode(base64Key);
    }

    /**
     * Null if the request is signed with the account key, else the service's answer: 401
     * NoAuthenticationInformation without an Authorization header, 403 AuthenticationFailed with a wrong one.
     *
     * @param headers header names in any case, each with its values
     */
    InMemoryNamespace.ServiceError refusal(String method, URI uri, Map<String, List<String>> headers) {
        String authorization = header(headers, "Authorization");
        if (authorization.isEmpty()) {
            return new InMemoryNamespace.ServiceError(401, "NoAuthenticationInformation",
                    "Server failed to authenticate the request. Please refer to the information in the www-authenticate header.");
        }
        String prefix = "SharedKey " + account + ":";
        if (!authorization.startsWith(prefix)) {
            return authenticationFailed("The Authorization header must be 'SharedKey " + account + ":<signature>', got '"
                    + authorization.replaceAll(":.*", ":...") + "'.");
        }
        String stringToSign = stringToSign(method, uri, headers);
        String expected = sign(stringToSign);
        String given = authorization.substring(prefix.length());
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII))) {
            return authenticationFailed("The MAC signature found in the HTTP request '" + given + "' is not the same as any computed signature."
                    + " Server used following string to sign: '" + stringToSign.replace("\n", "\\n") + "'.");
        }
        return null;
    }

    private static InMemoryNamespace.ServiceError authenticationFailed(String why) {
        return new InMemoryNamespace.ServiceError(403, "AuthenticationFailed",
                "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature. "
                        + why);
    }

    String stringToSign(String method, URI uri, Map<String, List<String>> headers) {
        String contentLength = header(headers, "Content-Length");
        return String.join("\n",
                method,
                header(headers, "Content-Encoding"),
                header(headers, "Content-Language"),
                "0".equals(contentLength) ? "" : contentLength,
                header(headers, "Content-MD5"),
                header(headers, "Content-Type"),
                header(headers, "x-ms-date").isEmpty() ? header(headers, "Date") : "",
                header(headers, "If-Modified-Since"),
                header(headers, "If-Match"),
                header(headers, "If-None-Match"),
                header(headers, "If-Unmodified-Since"),
                header(headers, "Range"))
                + "\n" + canonicalizedHeaders(headers) + canonicalizedResource(uri);
    }

    private String sign(String stringToSign) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String canonicalizedHeaders(Map<String, List<String>> headers) {
        TreeMap<String, String> xms = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith("x-ms-")) {
                xms.put(lower, String.join(",", values).trim());
            }
        });
        StringBuilder sb = new StringBuilder();
        xms.forEach((name, value) -> sb.append(name).append(':').append(value).append('\n'));
        return sb.toString();
    }

    private String canonicalizedResource(URI uri) {
        StringBuilder sb = new StringBuilder("/").append(account);
        String path = uri.getRawPath();
        sb.append(path == null || path.isEmpty() ? "/" : path);
        TreeMap<String, List<String>> params = new TreeMap<>();
        String query = uri.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT);
                String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
                params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            }
        }
        params.forEach((name, values) -> {
            List<String> sorted = new ArrayList<>(values);
            sorted.sort(null);
            sb.append('\n').append(name).append(':').append(String.join(",", sorted));
        });
        return sb.toString();
    }

    /** %XX escapes only: a '+' stays a '+', as in the SDK's canonicalization. */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return String.join(",", e.getValue()).trim();
            }
        }
        return "";
    }
}
