package io.pulse.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.pulse.common.config.PulseConfig;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies bearer tokens with nimbus-jose-jwt: the header's algorithm must be on the allow-list (never
 * {@code none}, never HMAC), the signature must verify with a key of the issuer (selected by key id and
 * algorithm), and {@code iss} and {@code aud} must be exactly the configured ones, {@code exp} present and
 * not passed, {@code nbf} not in the future, both with the configured clock skew.
 *
 * <p>Entra ID's claims are understood: the subject is {@code oid} (else {@code sub}), the client {@code azp}
 * (v2) or {@code appid} (v1), the token id {@code jti} or {@code uti}, admins carry the admin app role in
 * {@code roles}; the tenant comes from the configured claim.
 */
public final class JwtVerifier implements TokenVerifier {
    private static final Logger log = LoggerFactory.getLogger(JwtVerifier.class);
    private static final long KEYS_RETRY_AFTER_SECONDS = 5;

    private final ConfigurableJWTProcessor<SecurityContext> processor;
    private final Set<JWSAlgorithm> allowed;
    private final String tenantClaim;
    private final String adminRole;

    /**
     * How the issuer's JWKS is fetched: cached for {@code cacheTtl}, fetched again at once when a token names
     * an unknown key id (rotation), but at most twice per {@code minRefreshInterval}.
     */
    public record JwksPolicy(Duration cacheTtl, Duration minRefreshInterval, Duration httpTimeout) {
        /** One hour cache, 30 s between forced refreshes, 2 s HTTP timeouts. */
        public static final JwksPolicy DEFAULT = new JwksPolicy(Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofSeconds(2));
    }

    private JwtVerifier(ConfigurableJWTProcessor<SecurityContext> processor, Set<JWSAlgorithm> allowed, String tenantClaim,
                        String adminRole) {
        this.processor = processor;
        this.allowed = allowed;
        this.tenantClaim = tenantClaim;
        this.adminRole = adminRole;
    }

    /** Tokens of the configured OIDC issuer (Entra ID), with its keys from {@code Oidc.jwksUrl()}. */
    public static JwtVerifier oidc(PulseConfig.Api api, Clock clock) {
        return oidc(api, clock, JwksPolicy.DEFAULT);
    }

    /** As {@link #oidc(PulseConfig.Api, Clock)}, with the given JWKS fetching policy. */
    public static JwtVerifier oidc(PulseConfig.Api api, Clock clock, JwksPolicy policy) {
        PulseConfig.Oidc oidc = api.oidc().orElseThrow(() -> new IllegalArgumentException(
                "OIDC token verification needs pulse.api.auth.issuer, .audience and .jwks-url (pulse.api.auth.mode is "
                        + api.authMode().id() + ")"));
        int timeout = Math.toIntExact(policy.httpTimeout().toMillis());
        JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(url(oidc.jwksUrl()),
                        new DefaultResourceRetriever(timeout, timeout, JWKSourceBuilder.DEFAULT_HTTP_SIZE_LIMIT))
                .cache(policy.cacheTtl().toMillis(), policy.httpTimeout().multipliedBy(2).toMillis())
                .rateLimited(policy.minRefreshInterval().toMillis())
                .retrying(true)
                .build();
        return create(api, keys, oidc.issuer(), oidc.audience(), clock);
    }

    /**
     * Tokens signed by a key of {@code keys} for {@code issuer} and {@code audience}, under the allow-list,
     * skew and claims of {@code api}. The dev-token mode uses this with its in-memory key.
     */
    public static JwtVerifier create(PulseConfig.Api api, JWKSource<SecurityContext> keys, String issuer, String audience, Clock clock) {
        Set<JWSAlgorithm> allowed = new LinkedHashSet<>();
        for (String name : api.algorithms()) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (!JWSAlgorithm.Family.RSA.contains(alg) && !JWSAlgorithm.Family.EC.contains(alg)) {
                throw new IllegalArgumentException("'pulse.api.auth.algorithms' may list only RSA and EC signature algorithms, got '" + name + "'");
            }
            allowed.add(alg);
        }
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        // Entra ID and most issuers say typ JWT; RFC 9068 access tokens say at+jwt.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.copyOf(allowed), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss", "aud", "exp"), Set.of()) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        claims.setMaxClockSkew(Math.toIntExact(api.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
        return new JwtVerifier(processor, Set.copyOf(allowed), api.tenantClaim(), api.adminRole());
    }

    @Override
    public Caller verify(String token) {
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw ApiRejection.invalidToken("malformed_token", "the token is not a well-formed JWT");
        }
        if (jwt instanceof PlainJWT) {
            throw ApiRejection.invalidToken("algorithm_not_allowed", "algorithm not allowed: unsigned tokens (alg none) are never accepted");
        }
        if (jwt instanceof EncryptedJWT || !(jwt instanceof SignedJWT signed)) {
            throw ApiRejection.invalidToken("algorithm_not_allowed", "algorithm not allowed: only signed tokens (JWS) are accepted");
        }
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!allowed.contains(alg)) {
            throw ApiRejection.invalidToken("algorithm_not_allowed", "algorithm not allowed: " + alg + " (allowed: "
                    + allowed.stream().map(JWSAlgorithm::getName).collect(Collectors.joining(", ")) + ")");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (BadJOSEException e) {
            throw classify(e);
        } catch (RateLimitReachedException e) {
            // A refresh for this key id was refused because keys were fetched just now: the key is unknown.
            throw unknownKeyId();
        } catch (KeySourceException e) {
            log.warn("Cannot fetch the token issuer's signing keys (JWKS): {}", e.getMessage());
            throw ApiRejection.unavailable("keys_unavailable", KEYS_RETRY_AFTER_SECONDS,
                    "the token cannot be checked now: the issuer's signing keys are unreachable; try again shortly");
        } catch (JOSEException e) {
            throw ApiRejection.invalidToken("bad_signature", "the token's signature could not be verified");
        }
        return caller(claims);
    }

    private static ApiRejection classify(BadJOSEException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof ExpiredJWTException) {
            return ApiRejection.invalidToken("expired", "the token has expired");
        }
        if (e instanceof BadJWTException) {
            if (m.contains("before use time")) {
                return ApiRejection.invalidToken("not_yet_valid", "the token is not valid yet (nbf is in the future)");
            }
            if (m.contains("aud claim")) {
                return ApiRejection.invalidToken("wrong_audience", "wrong audience: the token is not for this API");
            }
            if (m.contains("iss claim")) {
                return ApiRejection.invalidToken("wrong_issuer", "wrong issuer: the token was not issued by the configured issuer");
            }
            if (m.contains("missing required claims")) {
                return ApiRejection.invalidToken("missing_claims", "the token lacks a required claim (iss, aud and exp are required)");
            }
            if (m.contains("not a valid JSON") || m.contains("payload")) {
                return ApiRejection.invalidToken("malformed_token", "the token's claims are not a JSON object");
            }
            return ApiRejection.invalidToken("invalid_claims", "the token's claims are not acceptable");
        }
        if (m.contains("no matching key")) {
            return unknownKeyId();
        }
        if (m.contains("Invalid signature")) {
            return ApiRejection.invalidToken("bad_signature", "the token's signature is invalid");
        }
        if (m.contains("typ")) {
            return ApiRejection.invalidToken("wrong_type", "the token's type (typ) is not JWT or at+jwt");
        }
        return ApiRejection.invalidToken("invalid_token", "the token was rejected");
    }

    private static ApiRejection unknownKeyId() {
        return ApiRejection.invalidToken("unknown_key_id", "unknown key id: no signing key of the issuer matches the token's kid and alg");
    }

    private Caller caller(JWTClaimsSet claims) {
        Optional<String> subject = firstString(claims, "oid", "sub");
        if (subject.isEmpty()) {
            throw ApiRejection.invalidToken("no_subject", "the token names no subject (oid or sub)");
        }
        Object tenantValue = claims.getClaim(tenantClaim);
        if (tenantValue != null && !(tenantValue instanceof String)) {
            throw ApiRejection.invalidToken("invalid_claims", "claim '" + tenantClaim + "' must be a string");
        }
        Optional<String> tenant = Optional.ofNullable((String) tenantValue).filter(t -> !t.isBlank());
        boolean admin = claims.getClaim("roles") instanceof List<?> roles && roles.contains(adminRole);
        return new Caller(subject.get(), tenant, admin, firstString(claims, "jti", "uti").orElse("-"),
                firstString(claims, "azp", "appid").orElse("-"));
    }

    private static Optional<String> firstString(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            if (claims.getClaim(name) instanceof String s && !s.isBlank()) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static URL url(String s) {
        try {
            return URI.create(s).toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'pulse.api.auth.jwks-url' is not a URL: '" + s + "'", e);
        }
    }
}
