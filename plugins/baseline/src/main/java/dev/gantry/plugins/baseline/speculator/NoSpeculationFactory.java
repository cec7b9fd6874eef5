package dev.gantry.plugins.baseline.speculator;

import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;

/** Creates {@link NoSpeculation}, the default ({@code gantry.speculator=none}). */
public final class NoSpeculationFactory implements SpeculatorFactory {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "no speculation: one token per sequence per step";
    }

    @Override
    public Speculator create(PluginConfig config, SpeculatorContext context) {
        return new NoSpeculation();
    }
}
