package dev.gantry.engine.tokenizer;

/**
 * The kind of a vocabulary entry, as GGUF's {@code tokenizer.ggml.token_type} array numbers it. The kind
 * decides how a token decodes and whether it can be found in prompt text, so it is kept per token.
 */
public enum TokenType {
    /** A value the file does not define (0, or anything above 6): decodes to nothing. */
    UNDEFINED,
    /** Ordinary text. */
    NORMAL,
    /** The unknown token ({@code <unk>}): decodes to nothing. */
    UNKNOWN,
    /** Control tokens such as BOS and EOS: decode to nothing and are never read from prompt text. */
    CONTROL,
    /** Added tokens: decode to their text as stored and are split out of prompt text before encoding. */
    USER_DEFINED,
    /** Reserved entries: decode to nothing. */
    UNUSED,
    /** {@code <0xNN>} pieces that stand for one raw byte. */
    BYTE;

    /** The kind for a GGUF token-type number. */
    public static TokenType fromGguf(long value) {
        return switch (Math.clamp(value, -1, 7)) {
            case 1 -> NORMAL;
            case 2 -> UNKNOWN;
            case 3 -> CONTROL;
            case 4 -> USER_DEFINED;
            case 5 -> UNUSED;
            case 6 -> BYTE;
            default -> UNDEFINED;
        };
    }
}
