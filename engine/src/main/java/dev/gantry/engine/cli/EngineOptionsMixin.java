package dev.gantry.engine.cli;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.compute.DeviceSelection;
import dev.gantry.engine.plugin.PluginSelection;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options shared by every command that runs a model: device, threads, KV geometry, step limits, plugins and
 * settings.
 */
final class EngineOptionsMixin {

    @Option(names = "--threads", description = "compute threads (default: all cores)")
    Integer threads;

    @Option(names = "--device", description = "where to compute: auto (a CUDA GPU when one is usable, else the CPU),"
            + " cpu, cuda or cuda:N (default: ${DEFAULT-VALUE})", defaultValue = "auto")
    String device;

    @Option(names = "--kv-budget", description = "KV cache memory in bytes, with an optional k/m/g suffix "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "256m")
    String kvBudget;

    @Option(names = "--block-size", description = "tokens per KV block (default: ${DEFAULT-VALUE})",
            defaultValue = "16")
    int blockSize;

    @Option(names = "--chunk", description = "tokens per step, prefill chunks and decodes together (default: "
            + "${DEFAULT-VALUE})", defaultValue = "512")
    int chunk;

    @Option(names = "--no-prefix-caching", description = "do not share KV blocks between common prefixes")
    boolean noPrefixCaching;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE",
            description = "a gantry.* setting, e.g. -D gantry.kv-codec=f16 or -D gantry.plugin.<name>.<key>=v")
    Map<String, String> settings = new LinkedHashMap<>();

    EngineOptions toOptions() {
        EngineOptions o = EngineOptions.defaults();
        long kv = Sizes.parseBytes("--kv-budget", kvBudget);
        return o.withThreads(threads == null ? o.threads() : threads).withKvBudget(kv).withHostSwap(kv)
                .withBlockSize(blockSize).withMaxChunkTokens(chunk).withPrefixCaching(!noPrefixCaching)
                .withPlugins(PluginSelection.fromProperties(settings)).withDevice(DeviceSelection.parse(device));
    }
}
