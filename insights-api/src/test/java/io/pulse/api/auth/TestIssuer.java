package io.pulse.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * An OIDC issuer in a test: an RSA key (with key id) that signs Entra-ID-shaped access tokens, and the
 * hostile variants of them (alg none, HS256 keyed with the public key, other keys, wrong claims).
 */
public final class TestIssuer {
    public static final String ISSUER = "https://login.microsoftonline.com/7c1a9f3e-0000-4000-8000-000000000001/v2.0";
    public static final String AUDIENCE = "api://pulse-insights";

    private final RSAKey key;

    private TestIssuer(RSAKey key) {
        this.key = key;
    }

    public static TestIssuer withKeyId(String kid) {
        try {
            return new TestIssuer(new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public RSAKey publicJwk() {
        return key.toPublicJWK();
    }

    /** Claims of a valid token for {@code tenant} at {@code now}, shaped like Entra ID v2 access tokens. */
    public static JWTClaimsSet.Builder tenantClaims(String tenant, Instant now) {
        return base(now).subject("sub-" + tenant).claim("oid", "oid-" + tenant).claim("pulse_tenant", tenant);
    }

    /** Claims of a valid admin token (app role {@code Pulse.Admin}, no tenant). */
    public static JWTClaimsSet.Builder adminClaims(Instant now) {
        return base(now).subject("sub-admin").claim("oid", "oid-admin").claim("roles", List.of("Pulse.Reader", "Pulse.Admin"));
    }

    private static JWTClaimsSet.Builder base(Instant now) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
                .claim("tid", "7c1a9f3e-0000-4000-8000-000000000001")
                .claim("azp", "dashboard-client")
                .claim("uti", UUID.randomUUID().toString())
                .claim("ver", "2.0");
    }

    /** RS256 with this issuer's key and key id. */
    public String sign(JWTClaimsSet claims) {
        return signAs(claims, key.getKeyID());
    }

    /** RS256 with this issuer's key, claiming key id {@code kid}. */
    public String signAs(JWTClaimsSet claims, String kid) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The same claims, unsigned ({@code alg: none}). */
    public static String unsigned(JWTClaimsSet claims) {
        return new PlainJWT(claims).serialize();
    }

    /**
     * The algorithm-confusion attack: HS256 "signed" with the bytes of this issuer's RSA public key (as a
     * verifier that trusted the header's alg would check it), with the issuer's key id.
     */
    public String hs256WithPublicKey(JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(key.toRSAPublicKey().getEncoded()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
