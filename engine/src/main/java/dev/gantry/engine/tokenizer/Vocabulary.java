package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * A model's vocabulary as llama.cpp loads it from GGUF metadata: pieces, scores, token types, the
 * special token ids, whether BOS/EOS are added, and which tokens end generation.
 *
 * <p>Both tokenizers share this so that the rules for special tokens live in one place. The rules follow
 * llama.cpp because Gantry must produce its token ids: a special id given in metadata but out of range is
 * ignored (the default stays); an empty piece is renamed {@code [EMPTY_<id>]}; when a piece occurs twice
 * the later id wins the text-to-id lookup; and, where the metadata names no end-of-turn, end-of-message
 * or fill-in-the-middle token, they are found by their well-known texts ({@code <|eot_id|>},
 * {@code <|im_end|>}, ...) and forced to {@link TokenType#CONTROL}. The end-of-generation set is those
 * well-known end tokens plus EOS, EOT, EOM and the FIM pad/repo/separator tokens. llama.cpp's per-model
 * left/right-strip attributes (Phi-3, Jina) are not reproduced.
 *
 * <p>Immutable and thread-safe.
 */
public final class Vocabulary {

    /** Per-model-kind defaults for what the metadata may leave out; a negative id means "none". */
    public record Defaults(int bos, int eos, int unk, boolean addBos) {
    }

    static final String TOKENS = "tokenizer.ggml.tokens";
    static final String SCORES = "tokenizer.ggml.scores";
    static final String TOKEN_TYPES = "tokenizer.ggml.token_type";
    static final String ADD_BOS = "tokenizer.ggml.add_bos_token";
    static final String ADD_EOS = "tokenizer.ggml.add_eos_token";

    /** Texts llama.cpp treats as end of generation whatever the metadata says. */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>",
            "<|endoftext|>", "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>");

    /** gpt-oss's channel markers must show in decoded text, so llama.cpp makes them user-defined. */
    private static final Set<String> ALWAYS_SHOWN = Set.of("<|channel|>", "<|message|>", "<|start|>", "<|constrain|>");

    /** A special token that llama.cpp reads from metadata or, failing that, recognises by its text. */
    private enum Role {
        EOT(List.of("tokenizer.ggml.eot_token_id"), List.of("<|eot_id|>", "<|im_end|>", "<|end|>",
                "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
                "<\uFF5Cend\u2581of\u2581sentence\uFF5C>", "<end_of_utterance>")),
        EOM(List.of("tokenizer.ggml.eom_token_id"), List.of("<|eom_id|>")),
        FIM_PRE(List.of("tokenizer.ggml.fim_pre_token_id", "tokenizer.ggml.prefix_token_id"), List.of(
                "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\uFF5Cfim\u2581begin\uFF5C>", "<PRE>",
                "\u2581<PRE>", "<|code_prefix|>")),
        FIM_SUF(List.of("tokenizer.ggml.fim_suf_token_id", "tokenizer.ggml.suffix_token_id"), List.of(
                "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\uFF5Cfim\u2581hole\uFF5C>", "<SUF>",
                "\u2581<SUF>", "<|code_suffix|>")),
        FIM_MID(List.of("tokenizer.ggml.fim_mid_token_id", "tokenizer.ggml.middle_token_id"), List.of(
                "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\uFF5Cfim\u2581end\uFF5C>", "<MID>",
                "\u2581<MID>", "<|code_middle|>")),
        FIM_PAD(List.of("tokenizer.ggml.fim_pad_token_id"), List.of(
                "<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>")),
        FIM_REP(List.of("tokenizer.ggml.fim_rep_token_id"), List.of(
                "<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>")),
        FIM_SEP(List.of("tokenizer.ggml.fim_sep_token_id"), List.of("<|file_sep|>"));

        final List<String> keys;
        final List<String> texts;

        Role(List<String> keys, List<String> texts) {
            this.keys = keys;
            this.texts = texts;
        }
    }

    private final String[] pieces;
    private final float[] scores;
    private final TokenType[] types;
    private final Map<String, Integer> ids;
    private final int bos;
    private final int eos;
    private final int eot;
    private final int eom;
    private final int unk;
    private final boolean addBos;
    private final boolean addEos;
    private final boolean[] endsGeneration;
    private final int[] endOfGenerationIds;

    private Vocabulary(String[] pieces, float[] scores, TokenType[] types, int bos, int eos, int eot, int eom,
                       int unk, boolean addBos, boolean addEos, boolean[] endsGeneration) {
        this.pieces = pieces;
        this.scores = scores;
        this.types = types;
        this.ids = HashMap.newHashMap(pieces.length);
        for (int i = 0; i < pieces.length; i++) {
            ids.put(pieces[i], i);
        }
        this.bos = bos;
        this.eos = eos;
        this.eot = eot;
        this.eom = eom;
        this.unk = unk;
        this.addBos = addBos;
        this.addEos = addEos;
        this.endsGeneration = endsGeneration;
        this.endOfGenerationIds = IntStream.range(0, pieces.length)
                .filter(i -> endsGeneration[i]).toArray();
    }

    /**
     * Reads the vocabulary from {@code tokenizer.ggml.*} metadata.
     *
     * @throws dev.gantry.engine.gguf.GgufFormatException when {@code tokenizer.ggml.tokens} is missing or
     *                                                     a key has the wrong type
     * @throws IllegalArgumentException                    when the scores or types do not cover every
     *                                                     token, or BOS/EOS must be added but the
     *                                                     vocabulary has none
     */
    public static Vocabulary read(GgufMetadata md, Defaults defaults) {
        List<String> list = md.getStringList(TOKENS);
        int n = list.size();
        String[] pieces = new String[n];
        for (int i = 0; i < n; i++) {
            String p = list.get(i);
            pieces[i] = p.isEmpty() ? "[EMPTY_" + i + "]" : p;
        }
        float[] scores = md.contains(SCORES) ? md.getFloatArray(SCORES) : new float[n];
        requireLength(SCORES, scores.length, n);
        TokenType[] types = new TokenType[n];
        if (md.contains(TOKEN_TYPES)) {
            int[] raw = md.getIntArray(TOKEN_TYPES);
            requireLength(TOKEN_TYPES, raw.length, n);
            for (int i = 0; i < n; i++) {
                types[i] = TokenType.fromGguf(raw[i]);
            }
        } else {
            Arrays.fill(types, TokenType.NORMAL);
        }

        int bos = specialId(md, List.of("tokenizer.ggml.bos_token_id"), inRange(defaults.bos(), n), n);
        int eos = specialId(md, List.of("tokenizer.ggml.eos_token_id"), inRange(defaults.eos(), n), n);
        int unk = specialId(md, List.of("tokenizer.ggml.unknown_token_id"), inRange(defaults.unk(), n), n);
        Map<Role, Integer> roles = new HashMap<>();
        for (Role role : Role.values()) {
            roles.put(role, specialId(md, role.keys, -1, n));
        }
        detectRolesByText(pieces, types, roles);

        boolean[] endsGeneration = new boolean[n];
        for (Role role : List.of(Role.FIM_PAD, Role.FIM_REP, Role.FIM_SEP)) {
            mark(endsGeneration, roles.get(role));
        }
        for (int i = 0; i < n; i++) {
            if (END_OF_GENERATION_TEXTS.contains(pieces[i])) {
                endsGeneration[i] = true;
                types[i] = TokenType.CONTROL;
            }
        }
        for (int i = 0; i < n; i++) {
            if (ALWAYS_SHOWN.contains(pieces[i])) {
                types[i] = TokenType.USER_DEFINED;
            }
        }
        mark(endsGeneration, eos);
        mark(endsGeneration, roles.get(Role.EOT));
        mark(endsGeneration, roles.get(Role.EOM));
        dropHarmonyEnd(pieces, types, endsGeneration);

        boolean addBos = md.optionalBoolean(ADD_BOS).orElse(defaults.addBos());
        boolean addEos = md.optionalBoolean(ADD_EOS).orElse(false);
        if (addBos && bos < 0) {
            throw new IllegalArgumentException("the vocabulary adds BOS (" + ADD_BOS + ") but has no BOS token");
        }
        if (addEos && eos < 0) {
            throw new IllegalArgumentException("the vocabulary adds EOS (" + ADD_EOS + ") but has no EOS token");
        }
        return new Vocabulary(pieces, scores, types, bos, eos, roles.get(Role.EOT), roles.get(Role.EOM), unk,
                addBos, addEos, endsGeneration);
    }

    /** Number of tokens. */
    public int size() {
        return pieces.length;
    }

    /** The piece as stored in the vocabulary (SentencePiece pieces keep their {@code ▁}). */
    public String piece(int id) {
        return pieces[check(id)];
    }

    /** The SentencePiece score (0 when the file has none). */
    public float score(int id) {
        return scores[check(id)];
    }

    public TokenType type(int id) {
        return types[check(id)];
    }

    /** The id of exactly this piece, or -1. */
    public int id(String piece) {
        Integer id = ids.get(piece);
        return id == null ? -1 : id;
    }

    /** Beginning-of-sequence id, or -1 when the model has none. */
    public int bos() {
        return bos;
    }

    /** End-of-sequence id, or -1 when the model has none. */
    public int eos() {
        return eos;
    }

    /** End-of-turn id, or -1. */
    public int eot() {
        return eot;
    }

    /** End-of-message id, or -1. */
    public int eom() {
        return eom;
    }

    /** The unknown token's id, or -1. */
    public int unk() {
        return unk;
    }

    /** Whether encoding with specials puts BOS first. */
    public boolean addsBos() {
        return addBos;
    }

    /** Whether encoding with specials puts EOS last. */
    public boolean addsEos() {
        return addEos;
    }

    /** Whether sampling this token ends generation. */
    public boolean isEndOfGeneration(int id) {
        return endsGeneration[check(id)];
    }

    /** The ids that end generation, ascending. */
    public int[] endOfGenerationIds() {
        return endOfGenerationIds.clone();
    }

    private int check(int id) {
        if (id < 0 || id >= pieces.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, " + pieces.length + ")");
        }
        return id;
    }

    private static void requireLength(String key, int length, int tokens) {
        if (length != tokens) {
            throw new IllegalArgumentException("metadata " + key + " has " + length + " entries for " + tokens + " tokens");
        }
    }

    private static int inRange(int id, int n) {
        return id < n ? id : -1;
    }

    /** The id under the first key present; an out-of-range id is ignored, as llama.cpp does. */
    private static int specialId(GgufMetadata md, List<String> keys, int fallback, int n) {
        int id = fallback;
        for (String key : keys) {
            Optional<Long> value = md.optionalLong(key);
            if (value.isPresent() && value.get() >= 0 && value.get() < n) {
                id = value.get().intValue();
            }
        }
        return id;
    }

    /** Fills roles the metadata left empty from well-known texts, the first match by id winning. */
    private static void detectRolesByText(String[] pieces, TokenType[] types, Map<Role, Integer> roles) {
        List<Role> open = new ArrayList<>();
        for (Role role : Role.values()) {
            if (roles.get(role) < 0) {
                open.add(role);
            }
        }
        for (int i = 0; i < pieces.length && !open.isEmpty(); i++) {
            for (var it = open.iterator(); it.hasNext(); ) {
                Role role = it.next();
                if (role.texts.contains(pieces[i])) {
                    roles.put(role, i);
                    types[i] = TokenType.CONTROL;
                    it.remove();
                }
            }
        }
    }

    /**
     * The o200k_harmony vocabulary uses {@code <|end|>} between messages, not at the end of the answer:
     * when {@code <|return|>} and {@code <|call|>} also end generation, {@code <|end|>} does not.
     */
    private static void dropHarmonyEnd(String[] pieces, TokenType[] types, boolean[] endsGeneration) {
        int end = -1;
        boolean hasReturn = false;
        boolean hasCall = false;
        for (int i = 0; i < pieces.length; i++) {
            if (endsGeneration[i]) {
                switch (pieces[i]) {
                    case "<|return|>" -> hasReturn = true;
                    case "<|call|>" -> hasCall = true;
                    case "<|end|>" -> end = i;
                    default -> { }
                }
            }
        }
        if (hasReturn && hasCall && end >= 0) {
            endsGeneration[end] = false;
            types[end] = TokenType.USER_DEFINED;
        }
    }

    private static void mark(boolean[] set, int id) {
        if (id >= 0) {
            set[id] = true;
        }
    }
}
