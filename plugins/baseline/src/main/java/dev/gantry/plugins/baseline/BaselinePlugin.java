package dev.gantry.plugins.baseline;

import dev.gantry.plugins.baseline.attention.DenseAttentionFactory;
import dev.gantry.plugins.baseline.kv.PlainKvCodecFactory;
import dev.gantry.plugins.baseline.planner.SingleInstancePlannerFactory;
import dev.gantry.plugins.baseline.scheduler.FcfsSchedulerFactory;
import dev.gantry.plugins.baseline.speculator.NgramSpeculatorFactory;
import dev.gantry.plugins.baseline.speculator.NoSpeculationFactory;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.speculator.SpeculatorFactory;

import java.util.List;

/**
 * The reference implementations of all five extension points, and Gantry's defaults: FCFS scheduling, no
 * speculation (n-gram prompt lookup on request), dense attention, plain F32/F16 KV storage and a
 * single-instance plan. Every research plugin is compared with these.
 */
public final class BaselinePlugin implements GantryPlugin {

    @Override
    public String name() {
        return "baseline";
    }

    @Override
    public List<SchedulerFactory> schedulers() {
        return List.of(new FcfsSchedulerFactory());
    }

    @Override
    public List<SpeculatorFactory> speculators() {
        return List.of(new NoSpeculationFactory(), new NgramSpeculatorFactory());
    }

    @Override
    public List<AttentionBackendFactory> attentionBackends() {
        return List.of(new DenseAttentionFactory());
    }

    @Override
    public List<KVCodecFactory> kvCodecs() {
        return List.of(PlainKvCodecFactory.f32(), PlainKvCodecFactory.f16());
    }

    @Override
    public List<ParallelPlannerFactory> parallelPlanners() {
        return List.of(new SingleInstancePlannerFactory());
    }
}
