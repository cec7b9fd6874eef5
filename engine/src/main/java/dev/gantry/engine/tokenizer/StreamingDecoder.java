package dev.gantry.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes generated tokens one at a time for streaming. A character can span several tokens (an emoji is
 * often four {@code <0xNN>} tokens), so the bytes of an incomplete UTF-8 sequence at the end are held
 * back until the tokens that complete it arrive; everything before them is returned at once.
 *
 * <p>The pieces returned by {@link #feed} followed by {@link #flush} concatenate to
 * {@link Tokenizer#decode} of the same tokens. Not thread-safe: one decoder per stream.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private byte[] pending = new byte[8];
    private int pendingLength;

    public StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds one token and returns the text it completes (possibly empty). */
    public String feed(int tokenId) {
        byte[] bytes = tokenizer.decodeBytes(tokenId);
        if (pendingLength + bytes.length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + bytes.length));
        }
        System.arraycopy(bytes, 0, pending, pendingLength, bytes.length);
        pendingLength += bytes.length;
        return take(completeLength());
    }

    /** Returns whatever is held back, an incomplete sequence as U+FFFD, and starts afresh. */
    public String flush() {
        return take(pendingLength);
    }

    /** How many bytes are held back waiting for the rest of a character. */
    public int pendingBytes() {
        return pendingLength;
    }

    /**
     * The length of the prefix that ends on a character boundary: everything, unless the last lead byte
     * (looked for among the last three bytes) starts a sequence longer than what follows it.
     */
    private int completeLength() {
        for (int back = 1; back <= Math.min(3, pendingLength); back++) {
            int b = pending[pendingLength - back] & 0xFF;
            if (b < 0x80) {
                return pendingLength;
            }
            if (b >= 0xC0) {
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                // C0, C1 and F5..FF never start a valid sequence: nothing to wait for.
                boolean validLead = b >= 0xC2 && b <= 0xF4;
                return validLead && needed > back ? pendingLength - back : pendingLength;
            }
        }
        return pendingLength;
    }

    private String take(int length) {
        String text = new String(pending, 0, length, StandardCharsets.UTF_8);
        System.arraycopy(pending, length, pending, 0, pendingLength - length);
        pendingLength -= length;
        return text;
    }
}
