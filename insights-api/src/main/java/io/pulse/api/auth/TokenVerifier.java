package io.pulse.api.auth;

/** Turns a bearer token into the {@link Caller} it proves, or refuses it. */
public interface TokenVerifier {

    /**
     * @throws ApiRejection 401 with the reason when the token is not acceptable (503 when it cannot be checked now)
     */
    Caller verify(String token);
}
