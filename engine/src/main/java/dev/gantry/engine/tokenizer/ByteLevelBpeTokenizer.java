package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.IntStream;

/**
 * The byte-level BPE tokenizer of GGUF files with {@code tokenizer.ggml.model = gpt2} (Llama 3, Qwen 2,
 * GPT-2 and their kin), reproducing llama.cpp's {@code llm_tokenizer_bpe}.
 *
 * <p>Encoding: the text is split into words by the pre-tokenizer that {@code tokenizer.ggml.pre} names
 * (see {@link BpePreTokenizer}); each word's UTF-8 bytes are written in GPT-2's byte alphabet
 * ({@link ByteLevelAlphabet}); then, within the word, the adjacent pair with the lowest rank in
 * {@code tokenizer.ggml.merges} is merged until no listed pair is left (ties: the leftmost pair). With
 * Llama 3's pre-tokenizer a word that is itself a vocabulary piece is taken whole. A final piece missing
 * from the vocabulary is written as the one-byte pieces of its ASCII bytes, and its other bytes are
 * dropped, as llama.cpp does (a well-formed byte-level vocabulary has every single byte, so this does not
 * happen in practice).
 *
 * <p>Control tokens in the text are not parsed: {@code "<|eot_id|>"} in a prompt is plain characters.
 * BOS is added when {@code tokenizer.ggml.add_bos_token} says so (default: yes for Llama 3's
 * pre-tokenizer, no otherwise), EOS when {@code tokenizer.ggml.add_eos_token} does (default: no).
 */
public final class ByteLevelBpeTokenizer implements Tokenizer {

    static final String MERGES = "tokenizer.ggml.merges";
    static final String PRE = "tokenizer.ggml.pre";

    /** Lowest rank first, then leftmost. */
    private static final Comparator<Bigram> ORDER =
            Comparator.comparingInt(Bigram::rank).thenComparingInt(Bigram::left);

    /** Two adjacent pieces that {@code tokenizer.ggml.merges} lists. */
    private record Pair(String left, String right) {
    }

    /**
     * A candidate merge, valid while its two symbols still span {@code length} characters together: symbols
     * only grow rightwards from where they start, so equal length means the same text.
     */
    private record Bigram(int left, int right, int rank, int length) {
    }

    private final Vocabulary vocabulary;
    private final BpePreTokenizer preTokenizer;
    private final Map<Pair, Integer> ranks;
    private final UserDefinedTokenSplitter splitter;

    private ByteLevelBpeTokenizer(Vocabulary vocabulary, BpePreTokenizer preTokenizer, List<String> merges) {
        this.vocabulary = vocabulary;
        this.preTokenizer = preTokenizer;
        this.ranks = HashMap.newHashMap(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            // "a b": split at the first space after the first character; an earlier listing of a pair wins.
            String merge = merges.get(rank);
            int space = merge.indexOf(' ', 1);
            Pair pair = space < 0 ? new Pair("", "") : new Pair(merge.substring(0, space), merge.substring(space + 1));
            ranks.putIfAbsent(pair, rank);
        }
        this.splitter = new UserDefinedTokenSplitter(vocabulary);
    }

    /**
     * Reads the vocabulary, merges and pre-tokenizer from metadata.
     *
     * @throws dev.gantry.engine.gguf.GgufFormatException when {@code tokenizer.ggml.tokens} or
     *                                                     {@code tokenizer.ggml.merges} is missing
     * @throws IllegalArgumentException                    for a {@code tokenizer.ggml.pre} that is not
     *                                                     supported
     */
    public static ByteLevelBpeTokenizer fromMetadata(GgufMetadata md) {
        BpePreTokenizer pre = BpePreTokenizer.forName(md.optionalString(PRE).orElse(null));
        // llama.cpp's defaults for byte-level vocabularies: BOS and EOS 11, no unknown token.
        Vocabulary vocabulary = Vocabulary.read(md, new Vocabulary.Defaults(11, 11, -1, pre.addsBosByDefault()));
        return new ByteLevelBpeTokenizer(vocabulary, pre, md.getStringList(MERGES));
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
        for (PromptFragment fragment : splitter.split(text)) {
            switch (fragment) {
                case PromptFragment.Text(String raw) -> {
                    for (String word : preTokenizer.split(raw)) {
                        encodeWord(ByteLevelAlphabet.encode(word.getBytes(StandardCharsets.UTF_8)), out);
                    }
                }
                case PromptFragment.Token(int id) -> out.add(id);
            }
        }
        if (addSpecials && vocabulary.addsEos()) {
            out.add(vocabulary.eos());
        }
        return out.build().toArray();
    }

    /** The merge loop over one word already written in the byte alphabet (one char per byte). */
    private void encodeWord(String word, IntStream.Builder out) {
        if (preTokenizer.ignoresMerges()) {
            int whole = vocabulary.id(word);
            if (whole >= 0) {
                out.add(whole);
                return;
            }
        }
        // Symbols are a linked list over the word's characters; a merged-away symbol has length 0.
        int n = word.length();
        int[] length = new int[n];
        int[] prev = new int[n];
        int[] next = new int[n];
        for (int i = 0; i < n; i++) {
            length[i] = 1;
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>(Math.max(1, n), ORDER);
        for (int i = 1; i < n; i++) {
            offer(word, length, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram b = queue.poll();
            if (length[b.left()] == 0 || length[b.right()] == 0
                    || length[b.left()] + length[b.right()] != b.length()) {
                continue;
            }
            length[b.left()] += length[b.right()];
            length[b.right()] = 0;
            next[b.left()] = next[b.right()];
            if (next[b.right()] >= 0) {
                prev[next[b.right()]] = b.left();
            }
            offer(word, length, prev[b.left()], b.left(), queue);
            offer(word, length, b.left(), next[b.left()], queue);
        }
        for (int i = n == 0 ? -1 : 0; i != -1; i = next[i]) {
            String piece = word.substring(i, i + length[i]);
            int id = vocabulary.id(piece);
            if (id >= 0) {
                out.add(id);
                continue;
            }
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                int single = b >= 0 ? vocabulary.id(String.valueOf((char) b)) : -1;
                if (single >= 0) {
                    out.add(single);
                }
            }
        }
    }

    // Symbol i starts at character i of the word: merging only ever extends a symbol to the right.
    private void offer(String word, int[] length, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        Integer rank = ranks.get(new Pair(word.substring(left, left + length[left]),
                word.substring(right, right + length[right])));
        if (rank != null) {
            queue.add(new Bigram(left, right, rank, length[left] + length[right]));
        }
    }

    @Override
    public byte[] decodeBytes(int tokenId) {
        String piece = vocabulary.piece(tokenId);
        return switch (vocabulary.type(tokenId)) {
            case NORMAL -> fromAlphabet(piece);
            case USER_DEFINED -> piece.getBytes(StandardCharsets.UTF_8);
            case CONTROL, UNKNOWN, UNUSED, UNDEFINED, BYTE -> new byte[0];
        };
    }

    /** The bytes a piece's alphabet characters stand for; a character outside the alphabet is kept as UTF-8. */
    private static byte[] fromAlphabet(String piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length());
        piece.codePoints().forEach(cp -> {
            int b = ByteLevelAlphabet.byteOf(cp);
            if (b >= 0) {
                out.write(b);
            } else {
                out.writeBytes(Character.toString(cp).getBytes(StandardCharsets.UTF_8));
            }
        });
        return out.toByteArray();
    }
}
