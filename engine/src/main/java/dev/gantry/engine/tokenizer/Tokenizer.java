package dev.gantry.engine.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns text into a model's token ids and back, exactly as llama.cpp does for the same GGUF file, so that
 * prompts, and therefore generations, match it token for token.
 *
 * <p>Prompt text is plain text: control tokens written in it ({@code <s>}, {@code <|eot_id|>}) are
 * encoded as ordinary characters, never as the control token. Only tokens the vocabulary marks
 * {@link TokenType#USER_DEFINED} are recognised in text, as llama.cpp does when it is not asked to parse
 * special tokens.
 *
 * <p>Decoding concatenates pieces exactly: {@code ▁} becomes a space, {@code <0xNN>} pieces are raw bytes,
 * control and unknown tokens decode to nothing, and nothing is stripped (the leading space of the first
 * piece stays). The bytes are then read as UTF-8, so a character split across tokens only appears once
 * all its bytes are there; {@link StreamingDecoder} does this incrementally.
 *
 * <p>Implementations are immutable and thread-safe. Ids outside the vocabulary are refused with
 * {@link IllegalArgumentException}.
 */
public interface Tokenizer {

    /** The vocabulary and special-token settings this tokenizer was built from. */
    Vocabulary vocabulary();

    /** Encodes text without adding BOS or EOS. */
    default int[] encode(String text) {
        return encode(text, false);
    }

    /**
     * Encodes text; with {@code addSpecials}, BOS is put first when {@link #addsBos()} and EOS last when
     * {@link #addsEos()}, as the model's metadata says. The empty text gives no tokens (BOS only, with
     * specials, where the model adds one).
     */
    int[] encode(String text, boolean addSpecials);

    /** {@code encode(text, true)}: the form a prompt takes. */
    default int[] encodeWithSpecials(String text) {
        return encode(text, true);
    }

    /** The bytes one token contributes to decoded text (empty for control tokens); a fresh array. */
    byte[] decodeBytes(int tokenId);

    /** The bytes of the tokens' pieces, concatenated. */
    default byte[] decodeBytes(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            out.writeBytes(decodeBytes(id));
        }
        return out.toByteArray();
    }

    /** The tokens' text: their bytes read as UTF-8 (malformed sequences become U+FFFD). */
    default String decode(int[] ids) {
        return new String(decodeBytes(ids), StandardCharsets.UTF_8);
    }

    /** The token's piece exactly as the vocabulary stores it ({@code ▁Once}, {@code <0x0A>}, {@code Ġthe}). */
    default String piece(int id) {
        return vocabulary().piece(id);
    }

    default int vocabularySize() {
        return vocabulary().size();
    }

    /** BOS id, or -1 when the model has none. */
    default int bosId() {
        return vocabulary().bos();
    }

    /** EOS id, or -1 when the model has none. */
    default int eosId() {
        return vocabulary().eos();
    }

    /** Whether {@link #encodeWithSpecials} puts BOS first. */
    default boolean addsBos() {
        return vocabulary().addsBos();
    }

    /** Whether {@link #encodeWithSpecials} puts EOS last. */
    default boolean addsEos() {
        return vocabulary().addsEos();
    }

    /** Whether the token is a control token (BOS, EOS, end-of-turn, ...), which decodes to nothing. */
    default boolean isControl(int id) {
        return vocabulary().type(id) == TokenType.CONTROL;
    }

    /** Whether sampling this token ends generation: EOS, end-of-turn, end-of-message and their kin. */
    default boolean isEndOfGeneration(int id) {
        return vocabulary().isEndOfGeneration(id);
    }

    /** The ids that end generation, ascending. */
    default int[] endOfGenerationIds() {
        return vocabulary().endOfGenerationIds();
    }
}
