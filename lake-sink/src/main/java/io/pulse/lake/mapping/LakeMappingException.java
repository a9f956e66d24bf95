package io.pulse.lake.mapping;

/** An envelope that cannot become a lake row; the message says which field and why, never its value in full. */
public class LakeMappingException extends RuntimeException {
    public LakeMappingException(String message) {
        super(message);
    }

    public LakeMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
