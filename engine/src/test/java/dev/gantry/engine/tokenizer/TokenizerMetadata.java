package dev.gantry.engine.tokenizer;

import dev.gantry.engine.gguf.GgufArray;
import dev.gantry.engine.gguf.GgufMetadata;
import dev.gantry.engine.gguf.GgufValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds hand-made {@code tokenizer.ggml.*} metadata for tests, typed as a GGUF file would hold it. */
final class TokenizerMetadata {

    private final Map<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();

    TokenizerMetadata string(String key, String value) {
        entries.put(key, new GgufMetadata.Entry(GgufValueType.STRING, value));
        return this;
    }

    TokenizerMetadata bool(String key, boolean value) {
        entries.put(key, new GgufMetadata.Entry(GgufValueType.BOOL, value));
        return this;
    }

    TokenizerMetadata uint32(String key, long value) {
        entries.put(key, new GgufMetadata.Entry(GgufValueType.UINT32, value));
        return this;
    }

    TokenizerMetadata strings(String key, List<String> values) {
        return array(key, GgufValueType.STRING, new ArrayList<>(values));
    }

    TokenizerMetadata floats(String key, List<Float> values) {
        return array(key, GgufValueType.FLOAT32, new ArrayList<>(values));
    }

    TokenizerMetadata types(List<TokenType> values) {
        List<Object> raw = new ArrayList<>();
        for (TokenType t : values) {
            raw.add((long) t.ordinal());
        }
        return array("tokenizer.ggml.token_type", GgufValueType.INT32, raw);
    }

    GgufMetadata build() {
        return new GgufMetadata("test", entries);
    }

    private TokenizerMetadata array(String key, GgufValueType type, List<Object> values) {
        entries.put(key, new GgufMetadata.Entry(GgufValueType.ARRAY, new GgufArray(type, values)));
        return this;
    }
}
