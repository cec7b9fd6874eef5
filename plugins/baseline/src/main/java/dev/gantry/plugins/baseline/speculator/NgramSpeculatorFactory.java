package dev.gantry.plugins.baseline.speculator;

import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;

/** Creates {@link NgramSpeculator} ({@code gantry.speculator=ngram}). */
public final class NgramSpeculatorFactory implements SpeculatorFactory {

    static final ConfigKey<Integer> MIN_NGRAM = ConfigKey.integer("ngram.min", 1,
            "the shortest suffix looked up in the sequence").atLeast(1);
    static final ConfigKey<Integer> MAX_NGRAM = ConfigKey.integer("ngram.max", 4,
            "the longest suffix looked up in the sequence").atLeast(1);
    static final ConfigKey<Integer> DRAFT_TOKENS = ConfigKey.integer("ngram.draft-tokens", 5,
            "the most tokens drafted per step").atLeast(1).atMost(63);

    @Override
    public String name() {
        return "ngram";
    }

    @Override
    public String description() {
        return "prompt lookup: drafts the continuation of the latest earlier match of the recent tokens";
    }

    @Override
    public List<ConfigKey<?>> configKeys() {
        return List.of(MIN_NGRAM, MAX_NGRAM, DRAFT_TOKENS);
    }

    @Override
    public Speculator create(PluginConfig config, SpeculatorContext context) {
        int min = config.get(MIN_NGRAM);
        int max = config.get(MAX_NGRAM);
        if (max < min) {
            throw new dev.gantry.spi.PluginConfigException(config.fullKey(MAX_NGRAM.name()),
                    config.fullKey(MAX_NGRAM.name()) + ": " + max + " must be at least " + config.fullKey(
                            MIN_NGRAM.name()) + " (" + min + ")");
        }
        return new NgramSpeculator(min, max, Math.min(config.get(DRAFT_TOKENS), context.maxTreeSize() - 1));
    }
}
