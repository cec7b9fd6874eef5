package dev.gantry.engine.tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits text into the words that byte-level BPE then merges within, chosen by GGUF's
 * {@code tokenizer.ggml.pre}. Each kind is llama.cpp's list of regular expressions for that name, applied
 * the way llama.cpp applies them: the first splits the text into its matches and the gaps between them,
 * each further one splits every piece again on its own (a piece's end is the end of input for
 * {@code $} and look-ahead). {@code \s} means Unicode white space, as it does in llama.cpp.
 *
 * <p>Names: {@code llama3}, {@code llama-v3}, {@code llama-bpe} and kin take Llama 3's expression and add
 * BOS by default; {@code gpt-2}, {@code phi-2}, {@code mpt}, {@code olmo} and kin take GPT-2's;
 * {@code qwen2} and kin Qwen 2's; also {@code deepseek-llm}, {@code deepseek-coder}, {@code falcon},
 * {@code starcoder} and kin, {@code dbrx}, {@code smaug-bpe}. A missing or unrecognised name (including
 * {@code gpt2}, which is not llama.cpp's spelling) gets llama.cpp's {@code default} list, as llama.cpp
 * itself does, so the ids still match it. Names llama.cpp knows but Gantry does not implement
 * ({@code tekken}, {@code gpt-4o}, {@code deepseek-v3}, ...) are refused rather than silently tokenized
 * differently.
 */
enum BpePreTokenizer {

    DEFAULT(false, false, "[\\p{P}\\$\\+<=>\\^~\\|]+", Expressions.GPT2, "\\p{N}+", "[0-9][0-9][0-9]"),
    GPT2(false, false, Expressions.GPT2),
    /** Llama 3: whole words found in the vocabulary skip merging, and BOS is added by default. */
    LLAMA3(true, true, Expressions.LLAMA3),
    /** DBRX and Smaug use Llama 3's expression without its other settings. */
    DBRX(false, false, Expressions.LLAMA3),
    QWEN2(false, false, "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+"
            + "|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"),
    DEEPSEEK_LLM(false, false, "[\r\n]",
            "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF"
                    + "\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1"
                    + "\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5"
                    + "\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A"
                    + "\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D"
                    + "\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3"
                    + "\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115"
                    + "\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F"
                    + "\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3"
                    + "\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF"
                    + "\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A\uD801\uDC00-\uD801\uDC4F"
                    + "\uD801\uDCB0-\uD801\uDCD3\uD801\uDCD8-\uD801\uDCFB\uD803\uDC80-\uD803\uDCB2"
                    + "\uD803\uDCC0-\uD803\uDCF2\uD806\uDCA0-\uD806\uDCDF\uD83A\uDD00-\uD83A\uDD43]+",
            "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+",
            "\\s+\\z",
            "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
            "\\p{N}+"),
    DEEPSEEK_CODER(false, false, "[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+",
            "\\p{N}"),
    FALCON(false, false, "[\\p{P}\\$\\+<=>\\^~\\|`]+", Expressions.GPT2, "[0-9][0-9][0-9]"),
    STARCODER(false, false, "\\p{N}", Expressions.GPT2);

    /** The two expressions several kinds share. */
    private static final class Expressions {
        static final String GPT2 = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)";
        static final String LLAMA3 = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])"
                + "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+"
                + "|\\s+(?!\\S)|\\s+";
    }

    private static final Map<String, BpePreTokenizer> BY_NAME = Map.ofEntries(
            Map.entry("default", DEFAULT),
            Map.entry("llama3", LLAMA3), Map.entry("llama-v3", LLAMA3), Map.entry("llama-bpe", LLAMA3),
            Map.entry("falcon3", LLAMA3), Map.entry("falcon-h1", LLAMA3), Map.entry("pixtral", LLAMA3),
            Map.entry("midm-2.0", LLAMA3), Map.entry("lfm2", LLAMA3),
            Map.entry("dbrx", DBRX), Map.entry("smaug-bpe", DBRX),
            Map.entry("gpt-2", GPT2), Map.entry("phi-2", GPT2), Map.entry("jina-es", GPT2), Map.entry("jina-de", GPT2),
            Map.entry("gigachat", GPT2), Map.entry("jina-v2-es", GPT2), Map.entry("jina-v2-de", GPT2),
            Map.entry("a.x-4.0", GPT2), Map.entry("mellum", GPT2), Map.entry("mpt", GPT2), Map.entry("olmo", GPT2),
            Map.entry("jais", GPT2), Map.entry("trillion", GPT2), Map.entry("granite-docling", GPT2),
            Map.entry("exaone4", GPT2),
            Map.entry("qwen2", QWEN2), Map.entry("deepseek-r1-qwen", QWEN2), Map.entry("kormo", QWEN2),
            Map.entry("megrez", QWEN2), Map.entry("stablelm2", QWEN2), Map.entry("hunyuan", QWEN2),
            Map.entry("deepseek-llm", DEEPSEEK_LLM), Map.entry("deepseek-coder", DEEPSEEK_CODER),
            Map.entry("falcon", FALCON),
            Map.entry("starcoder", STARCODER), Map.entry("refact", STARCODER), Map.entry("command-r", STARCODER),
            Map.entry("smollm", STARCODER), Map.entry("codeshell", STARCODER), Map.entry("exaone", STARCODER),
            Map.entry("minerva-7b", STARCODER));

    /** Names llama.cpp gives other expressions or settings than any kind here. */
    private static final Set<String> NOT_IMPLEMENTED = Set.of(
            "jina-v1-en", "jina-v2-code", "roberta-bpe", "deepseek-v3", "hunyuan-dense", "poro-chat", "bloom",
            "gpt3-finnish", "viking", "glm4", "chatglm-bpe", "tekken", "chameleon", "gpt-4o", "llama4", "superbpe",
            "bailingmoe", "bailingmoe2", "llada-moe", "seed-coder", "kimi-k2", "grok-2", "afmoe", "minimax-m2");

    private final boolean ignoresMerges;
    private final boolean addsBosByDefault;
    private final List<Pattern> patterns;

    BpePreTokenizer(boolean ignoresMerges, boolean addsBosByDefault, String... expressions) {
        this.ignoresMerges = ignoresMerges;
        this.addsBosByDefault = addsBosByDefault;
        this.patterns = Arrays.stream(expressions)
                .map(e -> Pattern.compile(e, Pattern.UNICODE_CHARACTER_CLASS))
                .toList();
    }

    /**
     * The kind for a {@code tokenizer.ggml.pre} value; null (key absent) means {@link #DEFAULT}.
     *
     * @throws IllegalArgumentException for a name llama.cpp tokenizes in a way not implemented here
     */
    static BpePreTokenizer forName(String name) {
        if (name != null && NOT_IMPLEMENTED.contains(name)) {
            throw new IllegalArgumentException("tokenizer.ggml.pre = '" + name + "' is not supported; supported: "
                    + new TreeSet<>(BY_NAME.keySet()) + " (a missing or unknown name means 'default')");
        }
        return name == null ? DEFAULT : BY_NAME.getOrDefault(name, DEFAULT);
    }

    /** Whether a word that is itself a vocabulary piece is taken whole instead of being merged up to. */
    boolean ignoresMerges() {
        return ignoresMerges;
    }

    /** Whether BOS is added when {@code tokenizer.ggml.add_bos_token} is absent. */
    boolean addsBosByDefault() {
        return addsBosByDefault;
    }

    /** The words of {@code text}, in order; they concatenate back to {@code text}. */
    List<String> split(String text) {
        // Pieces are kept as end offsets; each expression refines every piece on its own.
        List<Integer> ends = List.of(text.length());
        for (Pattern pattern : patterns) {
            List<Integer> refined = new ArrayList<>(ends.size() * 2);
            Matcher m = pattern.matcher(text);
            int start = 0;
            for (int end : ends) {
                // Opaque, anchoring bounds (the default): the piece's end is the end of input.
                m.region(start, end);
                int done = start;
                while (m.find()) {
                    if (m.end() == m.start()) {
                        continue;
                    }
                    if (m.start() > done) {
                        refined.add(m.start());
                    }
                    refined.add(m.end());
                    done = m.end();
                }
                if (done < end) {
                    refined.add(end);
                }
                start = end;
            }
            ends = refined;
        }
        List<String> words = new ArrayList<>(ends.size());
        int start = 0;
        for (int end : ends) {
            words.add(text.substring(start, end));
            start = end;
        }
        return words;
    }
}
