package dev.gantry.gpu;

import dev.gantry.engine.Engine;
import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.attention.AttentionCall;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The whole engine serving through the resident forward pass ({@link CudaBatchForward} offered by
 * {@link CudaDevice}), with every launch run on the CPU through the CUDA-on-CPU harness, on stories260K: the
 * greedy tokens of several concurrent requests equal the CPU engine's and the oracle's — with shared prefixes,
 * under preemption by recompute and by swap, and with draft trees verified in one forward. Set-ups the device
 * kernels do not implement fall back to the engine's per-operation forward pass.
 */
class ResidentEngineOnCudaCpuTest {

    /** The engine on a CUDA device whose kernels run in the harness. */
    static final ResidentEngineCases.Opener HARNESS = (model, options, registry) -> Engine.open(model, options,
            registry, new CudaDevice(CudaCpuHarness.launcherForAll(), options.threads(), false));

    @Test
    void concurrentRequestsWithSharedPrefixesMatchTheCpuAndTheOracle() {
        ResidentEngineCases.concurrentRequestsWithSharedPrefixes(HARNESS);
    }

    @Test
    void preemptionByRecomputeKeepsEveryAnswer() {
        ResidentEngineCases.preemption(HARNESS, "recompute");
    }

    @Test
    void preemptionBySwapKeepsEveryAnswer() {
        ResidentEngineCases.preemption(HARNESS, "swap");
    }

    @Test
    void draftTreesVerifiedOnTheDeviceAreGreedyExact() {
        ResidentEngineCases.treeSpeculation(HARNESS);
    }

    @Test
    void aKvCodecTheKernelsDoNotStoreFallsBackToThePerOperationPath() {
        EngineOptions options = ResidentEngineCases.options().withPlugins(PluginSelection.fromProperties(
                Map.of("gantry.kv-codec", "f16")));
        try (Engine engine = HARNESS.open(ResidentEngineCases.model(), options, PluginRegistry.discover())) {
            assertEquals("per operation on " + engine.deviceName(), engine.forwardPath());
        }
    }

    @Test
    void anAttentionBackendOtherThanDenseFallsBackToThePerOperationPath() {
        PluginRegistry registry = PluginRegistry.of(List.of(PluginRegistry.discover().plugins().get("baseline"),
                hostAttention()));
        EngineOptions options = ResidentEngineCases.options().withPlugins(PluginSelection.fromProperties(
                Map.of("gantry.attention", "host-only")));
        try (Engine engine = HARNESS.open(ResidentEngineCases.model(), options, registry)) {
            assertEquals("per operation on " + engine.deviceName(), engine.forwardPath());
        }
    }

    /** A plugin with an attention backend the device does not implement (the engine is only opened here). */
    private static GantryPlugin hostAttention() {
        return new GantryPlugin() {
            public String name() {
                return "test-host-attention";
            }

            public List<AttentionBackendFactory> attentionBackends() {
                return List.of(new AttentionBackendFactory() {
                    public String name() {
                        return "host-only";
                    }

                    public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
                        return new AttentionBackend() {
                            public String name() {
                                return "host-only";
                            }

                            public Approximation approximation() {
                                return Approximation.EXACT;
                            }

                            public void attend(AttentionCall call) {
                                throw new UnsupportedOperationException("not run in this test");
                            }
                        };
                    }
                });
            }
        };
    }
}
