package dev.gantry.plugins.baseline.attention;

import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;

/** Creates {@link DenseAttention}, the default attention backend ({@code gantry.attention=dense}). */
public final class DenseAttentionFactory implements AttentionBackendFactory {

    @Override
    public String name() {
        return "dense";
    }

    @Override
    public String description() {
        return "exact softmax attention over every visible token";
    }

    @Override
    public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
        return new DenseAttention();
    }
}
