package dev.gantry.engine.synth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A SentencePiece-style ("llama") vocabulary of any size from {@link #MIN_SIZE} up, for synthetic models.
 *
 * <p>A model with random weights still needs a tokenizer that behaves like a real one, so that prompts
 * can be encoded, output decoded, and tokenizer code exercised. The layout follows Llama 2's: {@code <unk>},
 * {@code <s>}, {@code </s>}, then the 256 byte tokens {@code <0x00>}..{@code <0xFF>} (byte fallback: any
 * text that no piece covers is spelled in bytes, so every string round-trips), then normal pieces:
 * single characters ({@code ▁}, the word-boundary mark, and ASCII letters first, then punctuation and
 * digits as room allows), common English words and word pieces, then generated letter n-grams
 * ({@code ▁a}..{@code ▁z}, {@code aa}..{@code zz}, {@code ▁aa}.., {@code aaa}.., and so on) until the vocabulary
 * is full. Every multi-character piece is preceded by its prefix one character shorter, so BPE merges
 * can reach it, and scores decrease with the token id, so earlier (more common) pieces merge first.
 *
 * <p>The required single characters are {@code ▁} and the 52 ASCII letters; the others are optional so
 * that the smallest test shape ("tiny", 320 tokens) still fits.
 */
public final class SyntheticVocabulary {

    public static final int UNKNOWN_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    /** Id of {@code <0x00>}; byte {@code b} is token {@code FIRST_BYTE_ID + b}. */
    public static final int FIRST_BYTE_ID = 3;
    /** Id of the first normal piece. */
    public static final int FIRST_PIECE_ID = FIRST_BYTE_ID + 256;

    /** llama.cpp's token types (LLAMA_TOKEN_TYPE_*). */
    public static final int TYPE_NORMAL = 1;
    public static final int TYPE_UNKNOWN = 2;
    public static final int TYPE_CONTROL = 3;
    public static final int TYPE_BYTE = 6;

    /** SentencePiece's word-boundary mark, U+2581, which stands for a space. */
    public static final String WORD_BOUNDARY = "\u2581";

    private static final String REQUIRED_CHARS = WORD_BOUNDARY
            + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    // Most frequent in English prose first, since a small vocabulary keeps only the head of this list.
    private static final String OPTIONAL_CHARS = ".,'!?-\":;0123456789()[]{}<>/\\@#$%^&*_+=|~`";

    /** The smallest vocabulary: special and byte tokens plus the required single characters. */
    public static final int MIN_SIZE = FIRST_PIECE_ID + REQUIRED_CHARS.length();

    // Common words and word pieces of simple English (children's stories), most frequent first.
    private static final List<String> SEEDS = List.of(
            "▁t", "he", "▁a", "in", "▁the", "er", "an", "▁s", "ed", "nd", "▁w", "▁h", "ou", "▁and", "ing", "▁b",
            "▁to", "▁The", "▁was", "it", "▁f", "▁he", "en", "on", "at", "▁l", "▁m", "▁d", "▁p", "▁c", "re", "▁o",
            "ay", "om", "is", "▁they", "▁her", "▁She", "▁she", "ll", "ar", "▁it", "▁He", "▁saw", "▁of", "▁in",
            "▁day", "ow", "▁with", "▁said", "▁happy", "▁play", "▁big", "▁Lily", "▁Tim", "▁Once", "▁upon", "▁time",
            "▁there", "▁little", "▁girl", "▁boy", "▁named", "▁One", "▁friend", "▁friends", "▁very", "▁wanted",
            "▁went", "▁had", "▁his", "▁you", "▁not", "▁for", "▁on", "▁that", "▁so", "▁but", "▁all", "▁were", "▁is",
            "▁be", "▁They", "▁I", "▁can", "▁do", "▁go", "▁up", "▁out", "▁what", "▁like", "▁have", "▁my", "▁me",
            "▁we", "▁are", "▁at", "▁as", "▁this", "▁get", "▁help", "▁fun", "▁too", "▁looked", "▁mom", "▁Mom",
            "▁dog", "▁cat", "▁ball", "▁tree", "▁park", "▁toy", "▁bird", "▁sun", "▁red", "▁blue", "▁sad", "▁good",
            "▁new", "▁find", "▁found", "▁made", "▁make", "▁love", "▁loved", "▁nice", "▁home", "▁came", "▁back",
            "▁run", "▁ran", "▁smiled", "▁laughed", "▁together", "▁from", "▁ever", "▁after", "▁felt", "▁thought",
            "▁could", "▁would", "▁did", "▁no", "▁yes", "▁them", "▁him", "▁their", "▁an", "▁It", "▁Ben", "▁Sue",
            "ly", "ould", "ight", "ame", "ook", "ent", "ound", "ake", "ide", "ome", "own", "ice", "ish", "ful",
            "ter", "est", "ver", "ere", "ith", "all", "ack", "ain", "ore", "ong", "ure", "ite", "ive", "ike", "ade",
            "ess", "ion", "tion", "ment", "ness", "ir", "ur", "or", "al", "el", "il", "ol", "ch", "sh", "th", "wh",
            "ck", "ng", "nt", "st", "▁when", "▁then", "▁because", "▁about", "▁again", "▁other", "▁asked",
            "▁started", "▁played", "▁learned", "▁decided", "▁always", "▁never", "▁some", "▁one",
            "▁two", "▁many", "▁much", "▁more", "▁best", "▁each", "▁how", "▁why", "▁who", "▁where", "▁your",
            "▁our", "▁kind", "▁small", "▁fast", "▁slow", "▁warm", "▁cold", "▁water", "▁flower",
            "▁garden", "▁house", "▁sky", "▁car", "▁box", "▁book", "▁story", "▁night", "▁morning", "▁outside");

    private final List<String> tokens;
    private final float[] scores;
    private final int[] tokenTypes;

    private SyntheticVocabulary(List<String> tokens, float[] scores, int[] tokenTypes) {
        this.tokens = tokens;
        this.scores = scores;
        this.tokenTypes = tokenTypes;
    }

    /**
     * Builds the vocabulary of {@code size} tokens (the same every time for a given size; a larger
     * vocabulary extends a smaller one).
     *
     * @throws IllegalArgumentException when {@code size} is below {@link #MIN_SIZE}
     */
    public static SyntheticVocabulary of(int size) {
        if (size < MIN_SIZE) {
            throw new IllegalArgumentException("a synthetic vocabulary needs at least " + MIN_SIZE + " tokens (3 "
                    + "special, 256 bytes, and the single characters " + REQUIRED_CHARS + "), not " + size);
        }
        List<String> tokens = new ArrayList<>(size);
        float[] scores = new float[size];
        int[] types = new int[size];
        tokens.addAll(List.of("<unk>", "<s>", "</s>"));
        types[UNKNOWN_ID] = TYPE_UNKNOWN;
        types[BOS_ID] = TYPE_CONTROL;
        types[EOS_ID] = TYPE_CONTROL;
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types[FIRST_BYTE_ID + b] = TYPE_BYTE;
        }
        Set<String> pieces = pieces(size - FIRST_PIECE_ID);
        for (String piece : pieces) {
            int id = tokens.size();
            tokens.add(piece);
            types[id] = TYPE_NORMAL;
            scores[id] = -(id - FIRST_PIECE_ID);
        }
        return new SyntheticVocabulary(Collections.unmodifiableList(tokens), scores, types);
    }

    /** The first {@code count} normal pieces, in order, all distinct. */
    private static Set<String> pieces(int count) {
        Set<String> out = new LinkedHashSet<>();
        addChars(out, REQUIRED_CHARS, count);
        addChars(out, OPTIONAL_CHARS, count);
        for (String seed : SEEDS) {
            for (int end = 2; end <= seed.length() && out.size() < count; end++) {
                out.add(seed.substring(0, end)); // the prefix first, so a BPE merge can reach the piece
            }
        }
        for (int length = 2; out.size() < count; length++) {
            addNgrams(out, WORD_BOUNDARY, length - 1, count);
            addNgrams(out, "", length, count);
        }
        return out;
    }

    private static void addChars(Set<String> out, String chars, int count) {
        chars.codePoints().takeWhile(c -> out.size() < count).forEach(c -> out.add(Character.toString(c)));
    }

    /** Adds {@code prefix} + every lowercase string of {@code letters} letters, in alphabetical order. */
    private static void addNgrams(Set<String> out, String prefix, int letters, int count) {
        char[] s = new char[letters];
        Arrays.fill(s, 'a');
        while (out.size() < count) {
            out.add(prefix + new String(s));
            int i = letters - 1;
            while (i >= 0 && s[i] == 'z') {
                s[i--] = 'a';
            }
            if (i < 0) {
                return;
            }
            s[i]++;
        }
    }

    /** Number of tokens. */
    public int size() {
        return tokens.size();
    }

    /** The token strings, by id. */
    public List<String> tokens() {
        return tokens;
    }

    /** The merge scores, by id: 0 for special and byte tokens, decreasing from 0 for the normal pieces. */
    public float[] scores() {
        return scores.clone();
    }

    /** The llama.cpp token types, by id ({@link #TYPE_NORMAL} and the others). */
    public int[] tokenTypes() {
        return tokenTypes.clone();
    }
}
