package dev.gantry.plugins.baseline.kv;

import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import dev.gantry.spi.kv.KVCodecFactory;

import java.util.function.Supplier;

/** Creates the plain codecs: {@code gantry.kv-codec=f32} (the default) or {@code f16}. */
public final class PlainKvCodecFactory implements KVCodecFactory {

    private final String name;
    private final String description;
    private final Supplier<KVCodec> codec;

    private PlainKvCodecFactory(String name, String description, Supplier<KVCodec> codec) {
        this.name = name;
        this.description = description;
        this.codec = codec;
    }

    /** Lossless 32-bit storage. */
    public static PlainKvCodecFactory f32() {
        return new PlainKvCodecFactory("f32", "keys and values as 32-bit floats (lossless)", F32KvCodec::new);
    }

    /** Half-precision storage. */
    public static PlainKvCodecFactory f16() {
        return new PlainKvCodecFactory("f16", "keys and values as 16-bit IEEE half floats", F16KvCodec::new);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public KVCodec create(PluginConfig config, KVCodecContext context) {
        return codec.get();
    }
}
