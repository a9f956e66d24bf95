package io.pulse.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.pulse.common.config.PulseConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Development tokens for the embedded default ({@code pulse.api.auth.mode=dev}, refused on profile eventhubs):
 * an RSA key pair made at start-up and held in memory only, one token per tenant and an admin token, with
 * {@code iss http://localhost:<port>/dev}, {@code aud pulse-insights}, valid for 12 hours.
 *
 * <p>Its {@link #verifier()} trusts exactly that key, through the same {@link JwtVerifier} (algorithm
 * allow-list, signature, iss/aud/exp/nbf) as production. The issuer names the API's port, known only once the
 * server listens: {@link #issue(int)} is called then, and tokens are refused until it has been.
 */
public final class DevTokenIssuer {
    /** The {@code aud} of dev tokens. */
    public static final String AUDIENCE = "pulse-insights";
    /** How long dev tokens are valid. */
    public static final Duration LIFETIME = Duration.ofHours(12);

    private final PulseConfig.Api api;
    private final List<String> tenants;
    private final Clock clock;
    private final RSAKey key;
    private final JWSAlgorithm algorithm;
    private final AtomicReference<Issued> issued = new AtomicReference<>();

    private record Issued(DevTokens tokens, JwtVerifier verifier) {
    }

    private DevTokenIssuer(PulseConfig.Api api, List<String> tenants, Clock clock, RSAKey key, JWSAlgorithm algorithm) {
        this.api = api;
        this.tenants = List.copyOf(tenants);
        this.clock = clock;
        this.key = key;
        this.algorithm = algorithm;
    }

    /**
     * A fresh key pair for the tenants' tokens.
     *
     * @throws IllegalArgumentException outside dev mode, or when the allow-list has no RSA algorithm to sign with
     */
    public static DevTokenIssuer generate(PulseConfig.Api api, List<String> tenants, Clock clock) {
        if (api.authMode() != PulseConfig.ApiAuthMode.DEV) {
            throw new IllegalArgumentException("dev tokens are issued only when pulse.api.auth.mode is dev, not " + api.authMode().id());
        }
        JWSAlgorithm algorithm = api.algorithms().stream().map(JWSAlgorithm::parse)
                .filter(JWSAlgorithm.Family.RSA::contains).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'pulse.api.auth.algorithms' must allow an RSA algorithm (RS256, PS256, ...)"
                        + " to sign dev tokens, got '" + String.join(",", api.algorithms()) + "'"));
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(algorithm)
                    .keyID("pulse-dev-" + UUID.randomUUID()).generate();
            return new DevTokenIssuer(api, tenants, clock, key, algorithm);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the dev-token RSA key pair", e);
        }
    }

    /** The issuer of dev tokens of an API listening on {@code port}. */
    public static String issuerFor(int port) {
        return "http://localhost:" + port + "/dev";
    }

    /** The public key that dev tokens are signed with, as a JWK set (no private parts). */
    public JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /**
     * Signs the tokens for the API now listening on {@code port} and starts accepting them. Once per issuer:
     * a second call for the same port returns the same tokens, for another port fails.
     */
    public DevTokens issue(int port) {
        Issued current = issued.get();
        if (current == null) {
            String issuer = issuerFor(port);
            Instant now = clock.instant();
            Map<String, String> tokens = new LinkedHashMap<>();
            for (String tenant : tenants) {
                tokens.put(tenant, sign(issuer, now, "dev:" + tenant, Map.of(api.tenantClaim(), tenant)));
            }
            String admin = sign(issuer, now, "dev:admin", Map.of("roles", List.of(api.adminRole())));
            JwtVerifier verifier = JwtVerifier.create(api, new ImmutableJWKSet<>(publicKeys()), issuer, AUDIENCE, clock);
            issued.compareAndSet(null, new Issued(new DevTokens(issuer, port, tokens, admin, now.plus(LIFETIME)), verifier));
            current = issued.get();
        }
        if (current.tokens().port() != port) {
            throw new IllegalStateException("dev tokens were issued for port " + current.tokens().port() + ", not " + port);
        }
        return current.tokens();
    }

    /** The tokens, once {@link #issue(int)} has signed them. */
    public java.util.Optional<DevTokens> tokens() {
        return java.util.Optional.ofNullable(issued.get()).map(Issued::tokens);
    }

    /** Verifies dev tokens: exactly this issuer's key; refuses every token before {@link #issue(int)}. */
    public TokenVerifier verifier() {
        return token -> {
            Issued current = issued.get();
            if (current == null) {
                throw ApiRejection.unavailable("not_ready", 1, "dev tokens are not issued yet: the API is still starting");
            }
            return current.verifier().verify(token);
        };
    }

    /** Signs one token with the dev key; also what tests use to make otherwise-valid dev tokens with other claims. */
    String sign(String issuer, Instant now, String subject, Map<String, Object> extraClaims) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("azp", "pulse-dev");
        extraClaims.forEach(claims::claim);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a dev token", e);
        }
        return jwt.serialize();
    }
}
