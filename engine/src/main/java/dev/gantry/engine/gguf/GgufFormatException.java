package dev.gantry.engine.gguf;

/**
 * A GGUF file is malformed, truncated, or uses something Gantry does not support. The message names the
 * file and the problem.
 */
public class GgufFormatException extends RuntimeException {

    private final String source;

    public GgufFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
    }

    public GgufFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
    }

    /** The file (or other source) the problem was found in. */
    public String source() {
        return source;
    }
}
