package io.pulse.embedded.registry;

/** A request the registry refuses, answered as Confluent's {@code {"error_code":..., "message":...}} with an HTTP status. */
final class ApiError extends RuntimeException {
    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;

    private final int status;
    private final int errorCode;

    ApiError(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    static ApiError notFound(String method, String path) {
        return new ApiError(404, 404, "HTTP 404 Not Found: no such resource " + method + " " + path);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, 400, message);
    }

    int status() {
        return status;
    }

    int errorCode() {
        return errorCode;
    }
}
