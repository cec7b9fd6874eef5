package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * The SentencePiece-style tokenizer of GGUF files with {@code tokenizer.ggml.model = llama} (Llama 1/2,
 * TinyLlama, the llama2.c stories models), reproducing llama.cpp's {@code llm_tokenizer_spm}.
 *
 * <p>Encoding: the text gets a leading space when {@code tokenizer.ggml.add_space_prefix} is true (the
 * default) and it starts the prompt or follows a user-defined token; every space becomes {@code ▁}; the
 * text is split into characters; then, repeatedly, the adjacent pair whose concatenation is a vocabulary
 * piece with the highest score is merged (ties: the leftmost pair). A final piece that is not in the
 * vocabulary (a character the vocabulary lacks) is written as its UTF-8 bytes, each as its
 * {@code <0xNN>} token, else the one-character piece of that byte, else {@code <unk>}. The pair queue makes
 * this O(n log n) in the text length.
 *
 * <p>Control tokens in the text are not parsed: {@code "<s>"} in a prompt is three characters, not BOS.
 * BOS is added when {@code tokenizer.ggml.add_bos_token} says so (default: yes), EOS when
 * {@code tokenizer.ggml.add_eos_token} does (default: no).
 */
public final class SentencePieceTokenizer implements Tokenizer {

    static final String ADD_SPACE_PREFIX = "tokenizer.ggml.add_space_prefix";

    /** llama.cpp's defaults for SentencePiece vocabularies: {@code <unk>}=0, {@code <s>}=1, {@code </s>}=2. */
    static final Vocabulary.Defaults DEFAULTS = new Vocabulary.Defaults(1, 2, 0, true);

    /** Best pair first: highest score, then leftmost. Scores compare as floats, so -0.0 equals 0.0. */
    private static final Comparator<Bigram> ORDER = (a, b) -> a.score() > b.score() ? -1
            : a.score() < b.score() ? 1 : Integer.compare(a.left(), b.left());

    private final Vocabulary vocabulary;
    private final boolean addSpacePrefix;
    private final UserDefinedTokenSplitter splitter;
    /** The token written for each byte value a final piece falls back to. */
    private final int[] byteTokens;

    public SentencePieceTokenizer(Vocabulary vocabulary, boolean addSpacePrefix) {
        this.vocabulary = vocabulary;
        this.addSpacePrefix = addSpacePrefix;
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
        this.byteTokens = new int[256];
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.id("<0x" + HexFormat.of().withUpperCase().toHexDigits((byte) b) + ">");
            if (id < 0 && b < 0x80) {
                id = vocabulary.id(String.valueOf((char) b));
            }
            byteTokens[b] = id >= 0 ? id : vocabulary.unk();
        }
    }

    /** Reads the vocabulary and {@code add_space_prefix} from metadata. */
    public static SentencePieceTokenizer fromMetadata(GgufMetadata md) {
        return new SentencePieceTokenizer(Vocabulary.read(md, DEFAULTS),
                md.optionalBoolean(ADD_SPACE_PREFIX).orElse(true));
    }

    @Override
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int[] encode(String text, boolean addSpecials) {
        IntStream.Builder out = IntStream.builder();
        if (addSpecials && vocabulary.addsBos()) {
            out.add(vocabulary.bos());
        }
        // A space goes before the first text and before text that follows a token cut out of the prompt.
        boolean afterSpecial = true;
        for (PromptFragment fragment : splitter.split(text)) {
            switch (fragment) {
                case PromptFragment.Text(String raw) -> {
                    String spaced = addSpacePrefix && afterSpecial ? " " + raw : raw;
                    encodeEscaped(spaced.replace(' ', '\u2581'), out);
                    afterSpecial = false;
                }
                case PromptFragment.Token(int id) -> {
                    out.add(id);
                    afterSpecial = true;
                }
            }
        }
        if (addSpecials && vocabulary.addsEos()) {
            out.add(vocabulary.eos());
        }
        return out.build().toArray();
    }

    /** A candidate merge of symbols {@code left} and {@code right}, valid while their lengths add to {@code length}. */
    private record Bigram(int left, int right, float score, int length) {
    }

    /** The merge loop over one run of text whose spaces are already {@code ▁}. */
    private void encodeEscaped(String text, IntStream.Builder out) {
        // Symbols are a linked list over the text's code points; a merged-away symbol has length 0.
        int n = text.codePointCount(0, text.length());
        int[] start = new int[n];
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0, offset = 0; i < n; i++) {
            start[i] = offset;
            length[i] = Character.charCount(text.codePointAt(offset));
            offset += length[i];
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), ORDER);
        for (int i = 1; i < n; i++) {
            offer(text, start, length, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            // Stale when either side has been merged into something else since the pair was queued.
            if (length[b.left()] == 0 || length[b.right()] == 0 || length[b.left()] + length[b.right()] != b.length()) {
                continue;
            }
            length[b.left()] += length[b.right()];
            length[b.right()] = 0;
            next[b.left()] = next[b.right()];
            if (next[b.right()] >= 0) {
                prev[next[b.right()]] = b.left();
            }
            offer(text, start, length, prev[b.left()], b.left(), queue);
            offer(text, start, length, b.left(), next[b.left()], queue);
        }
        // Every merged symbol is a vocabulary piece by construction, so only single characters can be
        // missing from the vocabulary; those fall back to bytes (llama.cpp's reverse-merge lookup never
        // applies to well-formed text).
        for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
            String piece = text.substring(start[i], start[i] + length[i]);
            int id = vocabulary.id(piece);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    int token = byteTokens[b & 0xFF];
                    if (token < 0) {
                        throw new IllegalStateException("the vocabulary has neither a byte token nor <unk> for byte 0x"
                                + Integer.toHexString(b & 0xFF));
                    }
                    out.add(token);
                }
            }
        }
    }

    private void offer(String text, int[] start, int[] length, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        int merged = length[left] + length[right];
        int id = vocabulary.id(text.substring(start[left], start[left] + merged));
        if (id >= 0) {
            queue.add(new Bigram(left, right, vocabulary.score(id), merged));
        }
    }

    @Override
    public byte[] decodeBytes(int tokenId) {
        String piece = vocabulary.piece(tokenId);
        return switch (vocabulary.type(tokenId)) {
            case NORMAL -> piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
            case USER_DEFINED -> piece.getBytes(StandardCharsets.UTF_8);
            case BYTE -> new byte[] {(byte) Integer.parseInt(piece, 3, 5, 16)};
            case CONTROL, UNKNOWN, UNUSED, UNDEFINED -> new byte[0];
        };
    }
}
