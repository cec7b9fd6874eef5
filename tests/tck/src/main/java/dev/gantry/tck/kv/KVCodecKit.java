package dev.gantry.tck.kv;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.plugin.PluginSelection;
import dev.gantry.spi.ConfigKey;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.PluginConfig;
import dev.gantry.spi.kv.KVCodec;
import dev.gantry.spi.kv.KVCodecContext;
import dev.gantry.spi.kv.KVCodecFactory;
import dev.gantry.spi.kv.KvCalibration;
import dev.gantry.spi.kv.KvCalibrationSamples;
import dev.gantry.spi.kv.KvCodecSpec;
import dev.gantry.spi.kv.KvLayout;
import dev.gantry.tck.KitModel;
import dev.gantry.tck.KitRequest;
import dev.gantry.tck.PluginUnderTest;
import dev.gantry.tck.internal.EngineSession;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A KV codec under test and the checks to put it through:
 *
 * <pre>{@code
 * KVCodecKit kit = GantryTck.kvCodec("f16");
 * kit.checkStorage().assertNo(KVCodecReport.Kind.values());
 * }</pre>
 *
 * <p>{@link #checkStorage()} stores samples in blocks outside the engine, on the kit model's layout and on a
 * wide-head one ({@value #WIDE_KV_HEADS} kv heads × {@value #WIDE_HEAD_DIM}): normal samples, samples with
 * outlier channels, and real keys and values captured from the engine. {@link #runEngine()} generates with
 * the codec in the real engine, next to a run with the lossless {@code f32} codec. Instances are immutable.
 */
public final class KVCodecKit {

    /** Tokens per KV block in every check. */
    public static final int BLOCK_SIZE = 16;
    static final int WIDE_KV_HEADS = 2;
    static final int WIDE_HEAD_DIM = 64;
    private static final String REFERENCE = "f32";

    private final PluginUnderTest<KVCodecFactory> subject;
    private final Set<KVCodecBehavior> behaviors;

    private KVCodecKit(PluginUnderTest<KVCodecFactory> subject, Set<KVCodecBehavior> behaviors) {
        this.subject = subject;
        this.behaviors = Set.copyOf(behaviors);
    }

    /** Used by {@code GantryTck}. */
    public static KVCodecKit of(PluginUnderTest<KVCodecFactory> subject) {
        return new KVCodecKit(subject, Set.of());
    }

    /** The codec with one more setting (relative to the plugin's namespace). */
    public KVCodecKit config(String key, String value) {
        return new KVCodecKit(subject.with(key, value), behaviors);
    }

    /** Declares behaviours the codec has. */
    public KVCodecKit behaves(KVCodecBehavior... more) {
        Set<KVCodecBehavior> all = EnumSet.noneOf(KVCodecBehavior.class);
        all.addAll(behaviors);
        all.addAll(List.of(more));
        return new KVCodecKit(subject, all);
    }

    /** The behaviours declared. */
    public Set<KVCodecBehavior> behaviors() {
        return behaviors;
    }

    /** The codec under test. */
    public PluginUnderTest<KVCodecFactory> subject() {
        return subject;
    }

    /** The model shapes the kit creates the codec for: the kit's model and a wide-head one. */
    public List<ModelInfo> models() {
        ModelInfo kitModel = KitModel.get().info();
        ModelInfo wide = new ModelInfo("tck-wide-heads", "llama", 2, WIDE_KV_HEADS * WIDE_HEAD_DIM * 2,
                WIDE_KV_HEADS * 2, WIDE_KV_HEADS, WIDE_HEAD_DIM, 512, kitModel.vocabularySize(), 2048, 1L << 20);
        return List.of(kitModel, wide);
    }

    /** A codec created by the plugin's factory for {@code model}, as the engine creates one. */
    public KVCodec create(ModelInfo model) {
        return subject.factory().create(subject.config(), new KVCodecContext() {
            @Override
            public ModelInfo model() {
                return model;
            }

            @Override
            public int blockSize() {
                return BLOCK_SIZE;
            }
        });
    }

    /** The layouts of every layer of {@code model}. */
    public static List<KvLayout> layouts(ModelInfo model) {
        List<KvLayout> out = new ArrayList<>();
        for (int l = 0; l < model.layers(); l++) {
            out.add(new KvLayout(l, model.layers(), model.kvHeads(), model.headDim(), BLOCK_SIZE));
        }
        return out;
    }

    /**
     * Stores the kit's samples with the codec outside the engine and reports what it found, adding the real keys
     * and values {@code engineRun} captured for the kit model's first and last layers.
     */
    public KVCodecReport checkStorage(CodecEngineRun engineRun) {
        return checkStorage(engineRun.captured());
    }

    private KVCodecReport checkStorage(Map<Integer, KvSamples> captured) {
        boolean lossless = behaviors.contains(KVCodecBehavior.LOSSLESS);
        KVCodecReport report = new KVCodecReport(subject + " " + subject.settings());
        List<ModelInfo> models = models();
        for (int m = 0; m < models.size(); m++) {
            ModelInfo model = models.get(m);
            KVCodec codec = create(model);
            List<KvLayout> layouts = layouts(model);
            for (KvLayout layout : List.of(layouts.getFirst(), layouts.getLast())) {
                CodecRoundTrip.check(codec, layout, KvSamples.gaussian(4 * BLOCK_SIZE, layout.kvDim(), 11 + m),
                        lossless, report);
                CodecRoundTrip.check(codec, layout, KvSamples.withOutliers(2 * BLOCK_SIZE, layout.kvDim(), 17 + m),
                        lossless, report);
                KvSamples real = m == 0 ? captured.get(layout.layer()) : null;
                if (real != null) {
                    CodecRoundTrip.check(codec, layout, real, lossless, report);
                }
            }
        }
        return report;
    }

    /** Stores only the kit's synthetic samples (no engine run needed). */
    public KVCodecReport checkStorage() {
        return checkStorage(Map.of());
    }

    /** The codec's spec for every layer of every model the kit uses. */
    public List<KvCodecSpec> specs() {
        List<KvCodecSpec> out = new ArrayList<>();
        for (ModelInfo model : models()) {
            KVCodec codec = create(model);
            for (KvLayout layout : layouts(model)) {
                out.add(codec.spec(layout));
            }
        }
        return out;
    }

    /** The codec's {@code name()}. */
    public String codecName() {
        return create(KitModel.get().info()).name();
    }

    /**
     * Asks the codec to calibrate on Gaussian samples of the kit model's layout; returns its answer, or what it
     * threw.
     */
    public CalibrationOutcome calibrate() {
        ModelInfo model = KitModel.get().info();
        KVCodec codec = create(model);
        List<KvLayout> layouts = layouts(model);
        int tokens = 4 * BLOCK_SIZE;
        List<KvSamples> samples = new ArrayList<>();
        for (KvLayout l : layouts) {
            samples.add(KvSamples.gaussian(tokens, l.kvDim(), 31 + l.layer()));
        }
        KvCalibrationSamples input = new KvCalibrationSamples() {
            @Override
            public int layers() {
                return layouts.size();
            }

            @Override
            public KvLayout layout(int layer) {
                return layouts.get(layer);
            }

            @Override
            public int tokens() {
                return tokens;
            }

            @Override
            public float[] keys(int layer) {
                return samples.get(layer).keys().clone();
            }

            @Override
            public float[] values(int layer) {
                return samples.get(layer).values().clone();
            }
        };
        try {
            return new CalibrationOutcome(codec.name(), codec.calibrate(input), null);
        } catch (RuntimeException e) {
            return new CalibrationOutcome(codec.name(), null, e);
        }
    }

    /**
     * What {@code calibrate} did.
     *
     * @param codecName the codec's name
     * @param result    what it returned (null when it threw)
     * @param thrown    what it threw, or null
     */
    public record CalibrationOutcome(String codecName, Optional<KvCalibration> result, Throwable thrown) {
    }

    /**
     * Generates greedily in the real engine with the codec (capturing the keys and values it is given), and the
     * same requests with the lossless {@code f32} codec.
     */
    public CodecEngineRun runEngine() {
        List<GenerationRequest> requests = KitRequest.stories(6, 24).stream().map(KitRequest::toRequest).toList();
        KvCapture capture = new KvCapture(BLOCK_SIZE * 8);
        PluginRegistry registry = subject.registry(f -> new Capturing(f, capture));
        List<EngineSession.Completion> tested;
        try (EngineSession s = EngineSession.open(KitModel.get(), options(subject.properties()), registry)) {
            tested = s.runAll(requests, () -> null).completions();
        }
        List<EngineSession.Completion> reference;
        try (EngineSession s = EngineSession.open(KitModel.get(), options(Map.of(ExtensionPoint.KV_CODEC.configKey(),
                REFERENCE)), PluginRegistry.discover())) {
            reference = s.runAll(requests, () -> null).completions();
        }
        return new CodecEngineRun(subject + " " + subject.settings() + " in the engine", tested, reference,
                capture.samples());
    }

    private static EngineOptions options(Map<String, String> properties) {
        return EngineSession.defaultOptions().withBlockSize(BLOCK_SIZE)
                .withPlugins(PluginSelection.fromProperties(properties));
    }

    /** The plugin's factory, creating codecs whose encoded input is captured. */
    private record Capturing(KVCodecFactory factory, KvCapture capture) implements KVCodecFactory {

        @Override
        public String name() {
            return factory.name();
        }

        @Override
        public String description() {
            return factory.description();
        }

        @Override
        public List<ConfigKey<?>> configKeys() {
            return factory.configKeys();
        }

        @Override
        public KVCodec create(PluginConfig config, KVCodecContext context) {
            KVCodec codec = factory.create(config, context);
            return new KVCodec() {
                @Override
                public String name() {
                    return codec.name();
                }

                @Override
                public KvCodecSpec spec(KvLayout layout) {
                    return codec.spec(layout);
                }

                @Override
                public void encode(KvLayout layout, MemorySegment block, int firstSlot, int count, float[] keys,
                                   int keyOffset, float[] values, int valueOffset, int[] positions,
                                   int positionOffset) {
                    capture.record(layout, count, keys, keyOffset, values, valueOffset, positions, positionOffset);
                    codec.encode(layout, block, firstSlot, count, keys, keyOffset, values, valueOffset, positions,
                            positionOffset);
                }

                @Override
                public void decodeKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst,
                                      int dstOffset) {
                    codec.decodeKey(layout, block, slot, kvHead, dst, dstOffset);
                }

                @Override
                public void decodeValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] dst,
                                        int dstOffset) {
                    codec.decodeValue(layout, block, slot, kvHead, dst, dstOffset);
                }

                @Override
                public void decodeKeys(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                                       float[] dst, int dstOffset) {
                    codec.decodeKeys(layout, block, firstSlot, count, kvHead, dst, dstOffset);
                }

                @Override
                public void decodeValues(KvLayout layout, MemorySegment block, int firstSlot, int count, int kvHead,
                                         float[] dst, int dstOffset) {
                    codec.decodeValues(layout, block, firstSlot, count, kvHead, dst, dstOffset);
                }

                @Override
                public float dotKey(KvLayout layout, MemorySegment block, int slot, int kvHead, float[] q,
                                    int qOffset) {
                    return codec.dotKey(layout, block, slot, kvHead, q, qOffset);
                }

                @Override
                public void accumulateValue(KvLayout layout, MemorySegment block, int slot, int kvHead, float weight,
                                            float[] acc, int accOffset) {
                    codec.accumulateValue(layout, block, slot, kvHead, weight, acc, accOffset);
                }

                @Override
                public void copySlot(KvLayout layout, MemorySegment fromBlock, int fromSlot, MemorySegment toBlock,
                                     int toSlot, int position) {
                    codec.copySlot(layout, fromBlock, fromSlot, toBlock, toSlot, position);
                }

                @Override
                public Optional<KvCalibration> calibrate(KvCalibrationSamples samples) {
                    return codec.calibrate(samples);
                }
            };
        }
    }
}
