package dev.gantry.tck.selftest;

import dev.gantry.plugins.baseline.attention.DenseAttention;
import dev.gantry.plugins.baseline.kv.F32KvCodec;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.Approximation;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionBackendContext;
import dev.gantry.spi.attention.AttentionBackendFactory;
import dev.gantry.spi.attention.AttentionCall;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.ParallelPlannerFactory;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanEvaluator;
import dev.gantry.spi.planner.PlanPrediction;
import dev.gantry.spi.planner.PlannerContext;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerContext;
import dev.gantry.spi.scheduler.SchedulerFactory;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepPlan;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.SpeculationContext;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.SpeculatorContext;
import dev.gantry.spi.speculator.SpeculatorFactory;
import dev.gantry.spi.speculator.VerifyMode;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Plugins that break the contract on purpose, one way each, so the kit's own tests can show that the contract
 * tests catch them. Never installed through {@code META-INF/services}: the kit takes them as instances.
 */
final class BrokenPlugins implements GantryPlugin {

    private BrokenPlugins() {
    }

    static BrokenPlugins plugin() {
        return new BrokenPlugins();
    }

    @Override
    public String name() {
        return "broken";
    }

    @Override
    public List<SchedulerFactory> schedulers() {
        return List.of(scheduler("over-admitting", OverAdmitting::new), scheduler("hoarding", Hoarding::new));
    }

    @Override
    public List<SpeculatorFactory> speculators() {
        return List.of(speculator("lying", Lying::new), speculator("leaky", Leaky::new));
    }

    @Override
    public List<AttentionBackendFactory> attentionBackends() {
        return List.of(new AttentionBackendFactory() {
            public String name() {
                return "forgetful";
            }

            public AttentionBackend create(PluginConfig config, AttentionBackendContext context) {
                return new Forgetful();
            }
        });
    }

    @Override
    public List<KVCodecFactory> kvCodecs() {
        return List.of(new KVCodecFactory() {
            public String name() {
                return "overclaiming";
            }

            public KVCodec create(PluginConfig config, KVCodecContext context) {
                return new Overclaiming();
            }
        }, new KVCodecFactory() {
            public String name() {
                return "skipping";
            }

            public KVCodec create(PluginConfig config, KVCodecContext context) {
                return new Skipping();
            }
        });
    }

    @Override
    public List<ParallelPlannerFactory> parallelPlanners() {
        return List.of(new ParallelPlannerFactory() {
            public String name() {
                return "boastful";
            }

            public ParallelPlanner create(PluginConfig config, PlannerContext context) {
                return new Boastful();
            }
        });
    }

    private static SchedulerFactory scheduler(String name, Supplier<Scheduler> make) {
        return new SchedulerFactory() {
            public String name() {
                return name;
            }

            public Scheduler create(PluginConfig config, SchedulerContext context) {
                return make.get();
            }
        };
    }

    private static SpeculatorFactory speculator(String name, Supplier<Speculator> make) {
        return new SpeculatorFactory() {
            public String name() {
                return name;
            }

            public Speculator create(PluginConfig config, SpeculatorContext context) {
                return make.get();
            }
        };
    }

    /** Runs every sequence it can within the step limits, never looking at the KV budget. */
    static final class OverAdmitting implements Scheduler {
        public String name() {
            return "over-admitting";
        }

        public StepPlan schedule(SchedulerView view) {
            List<ScheduledWork> work = new ArrayList<>();
            int tokens = view.limits().maxTokens();
            List<SequenceState> all = new ArrayList<>(view.running());
            all.addAll(view.waiting());
            for (SequenceState s : all) {
                int t = s.isDecoding() ? 1 : Math.min(s.tokensToPrefill(), tokens);
                if (t < 1 || tokens < t || work.size() == view.limits().maxSequences()) {
                    break;
                }
                tokens -= t;
                work.add(new ScheduledWork(s.id(), t));
            }
            return StepPlan.of(work);
        }
    }

    /** Serves only odd sequence ids (the even ones wait forever) and remembers every id it ever saw. */
    static final class Hoarding implements Scheduler {
        private final Map<SequenceId, Integer> seen = new HashMap<>();

        public String name() {
            return "hoarding";
        }

        public StepPlan schedule(SchedulerView view) {
            List<ScheduledWork> work = new ArrayList<>();
            int tokens = view.limits().maxTokens();
            List<SequenceState> all = new ArrayList<>(view.running());
            all.addAll(view.waiting());
            for (SequenceState s : all) {
                seen.merge(s.id(), 1, Integer::sum);
                int t = s.isDecoding() ? 1 : Math.min(s.tokensToPrefill(), tokens);
                if (s.id().value() % 2 == 0 || t < 1 || tokens < t) {
                    continue;
                }
                tokens -= t;
                work.add(new ScheduledWork(s.id(), t));
            }
            return StepPlan.of(work);
        }
    }

    /**
     * Proposes the pending token twice more, claiming the draft was drawn uniformly: the engine accepts it far
     * more often than the target would produce it.
     */
    static final class Lying implements Speculator {
        public String name() {
            return "lying";
        }

        public VerifyMode verifyMode() {
            return VerifyMode.SAMPLE_LOSSLESS;
        }

        public int maxTreeSize() {
            return 3;
        }

        public DraftTree propose(SpeculationContext c) {
            if (c.maxTreeSize() < 3) {
                return DraftTree.rootOnly(c.pendingToken());
            }
            int vocab = c.target().model().vocabularySize();
            float[] uniform = new float[vocab];
            Arrays.fill(uniform, 1f / vocab);
            int t = c.pendingToken();
            return new DraftTree(new int[] {t, t, t}, new int[] {-1, 0, 1}, new float[][] {uniform, uniform, null});
        }
    }

    /** Keeps a note per sequence and never drops it. */
    static final class Leaky implements Speculator {
        private final Map<SequenceId, int[]> notes = new HashMap<>();

        public String name() {
            return "leaky";
        }

        public VerifyMode verifyMode() {
            return VerifyMode.GREEDY_EXACT;
        }

        public int maxTreeSize() {
            return 2;
        }

        public DraftTree propose(SpeculationContext c) {
            notes.computeIfAbsent(c.sequence(), k -> new int[1])[0]++;
            return DraftTree.rootOnly(c.pendingToken());
        }

        public void release(SequenceId sequence, ReleaseReason reason) {
            // forgets to remove its note
        }
    }

    /** Declares itself exact but ignores the oldest stored slot whenever there are several. */
    static final class Forgetful implements AttentionBackend {
        private final DenseAttention dense = new DenseAttention();

        public String name() {
            return "forgetful";
        }

        public Approximation approximation() {
            return Approximation.EXACT;
        }

        public void attend(AttentionCall call) {
            dense.attend(call);
            if (call.kv().length() > 4) {
                // Blend in a little of slot 1's value: a systematic error no rounding explains.
                int d = call.layer().headDim();
                for (int i = 0; i < call.queryCount() * call.layer().heads(); i++) {
                    call.kv().accumulateValue(1, call.layer().kvHeadOf(i % call.layer().heads()), 0.05f,
                            call.output(), call.outputOffset() + i * d);
                }
            }
        }
    }

    /** Stores and reads exactly as f32: each broken codec below breaks one thing on top of it. */
    abstract static class LikeF32 implements KVCodec {
        final F32KvCodec f32 = new F32KvCodec();

        public KvCodecSpec spec(KvLayout layout) {
            return f32.spec(layout);
        }

        public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys, int keyOffset,
                           float[] values, int valueOffset, int[] positions, int positionOffset) {
            f32.encode(layout, block, firstSlot, count, keys, keyOffset, values, valueOffset, positions,
                    positionOffset);
        }

        public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst, int dstOffset) {
            f32.decodeKey(layout, block, slot, kvHead, dst, dstOffset);
        }

        public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst,
                                int dstOffset) {
            f32.decodeValue(layout, block, slot, kvHead, dst, dstOffset);
        }
    }

    /** Stores like f32 but declares twice the bytes per token it uses. */
    static final class Overclaiming extends LikeF32 {
        public String name() {
            return "overclaiming";
        }

        @Override
        public KvCodecSpec spec(KvLayout layout) {
            return KvCodecSpec.plain(2 * f32.spec(layout).bytesPerToken(), 0);
        }
    }

    /** Stores like f32, but its range reads start one slot late (while reading single slots correctly). */
    static final class Skipping extends LikeF32 {
        public String name() {
            return "skipping";
        }

        @Override
        public void decodeKeys(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                               float[] dst, int dstOffset) {
            for (int i = 0; i < count; i++) {
                int slot = Math.min(firstSlot + i + 1, layout.blockSize() - 1);
                f32.decodeKey(layout, block, slot, kvHead, dst, dstOffset + i * layout.headDim());
            }
        }
    }

    /** Puts the first model on the first device whatever it weighs, and reports figures of its own. */
    static final class Boastful implements ParallelPlanner {
        public String name() {
            return "boastful";
        }

        public Plan plan(PlanningProblem problem, PlanEvaluator evaluator) {
            var model = problem.models().getFirst();
            String device = problem.cluster().devices().getFirst().id();
            InstancePlan instance = new InstancePlan(model.name(), model.name(), 1, 1, 1,
                    List.of(StageAssignment.ofLayers(0, List.of(device), 0, model.layers())), 8, 512, 4096);
            return Plan.of(instance).withPrediction(new PlanPrediction(1e6, 1e3, 0.01, 0.02, 0.001, 0.002, 1, 1,
                    1e6));
        }
    }
}
