package dev.gantry.tck;

import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;
import dev.gantry.spi.ModelInfo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The model the kit runs plugins on: the trained {@code stories260K.gguf} from the shared folder when it is
 * there (the {@code gantry.shared.dir} system property, else {@code ../shared}), otherwise a small synthetic
 * Llama with random weights that the kit writes once per JVM. Every contract check works on either; checks
 * against the reference outputs in {@code oracle/} need the trained model and are skipped, saying so,
 * without it. The system property {@value #MODEL_PROPERTY}{@code =synthetic} makes the kit use the synthetic
 * model even when the trained one is there.
 *
 * @param path    the GGUF file
 * @param info    its shape
 * @param trained whether it is the trained stories260K model (its oracle applies)
 */
public record KitModel(Path path, ModelInfo info, boolean trained) {

    private static final Logger LOG = Logger.getLogger(KitModel.class.getName());
    /** The system property that chooses the model: {@code synthetic}, or (the default) the trained one if present. */
    public static final String MODEL_PROPERTY = "gantry.tck.model";
    private static final String TRAINED = "models/stories260K.gguf";
    private static volatile KitModel current;

    /** The model for this JVM: the trained one when present, else the synthetic one. */
    public static KitModel get() {
        KitModel m = current;
        if (m == null) {
            synchronized (KitModel.class) {
                m = current;
                if (m == null) {
                    m = locate();
                    current = m;
                }
            }
        }
        return m;
    }

    /** The shared folder: {@code gantry.shared.dir}, or {@code ../shared}. */
    public static Path sharedDir() {
        String p = System.getProperty("gantry.shared.dir");
        return Path.of(p != null ? p : "../shared").toAbsolutePath().normalize();
    }

    /** A file under the shared folder, if it exists. */
    public static Optional<Path> shared(String relative) {
        Path file = sharedDir().resolve(relative);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /** KV bytes one token takes with 32-bit storage, over all layers. */
    public long f32KvBytesPerToken() {
        return 2L * info.layers() * info.kvDim() * Float.BYTES;
    }

    private static KitModel locate() {
        boolean synthetic = "synthetic".equals(System.getProperty(MODEL_PROPERTY));
        Optional<Path> trained = synthetic ? Optional.empty() : shared(TRAINED);
        if (trained.isPresent()) {
            return new KitModel(trained.get(), infoOf(trained.get()), true);
        }
        try {
            Path dir = Files.createTempDirectory("gantry-tck");
            Path file = dir.resolve("tck-tiny.gguf");
            SyntheticModelWriter.write(ModelShapes.TINY, 20260101L, file);
            file.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            String why = synthetic ? MODEL_PROPERTY + "=synthetic" : sharedDir().resolve(TRAINED) + " is not present";
            LOG.info(() -> why + ": the kit runs on a synthetic model (random weights); checks against the trained "
                    + "model's reference outputs are skipped");
            return new KitModel(file, infoOf(file), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the kit's synthetic model", e);
        }
    }

    private static ModelInfo infoOf(Path file) {
        try (LlamaModel model = LlamaModel.open(file)) {
            return model.info();
        }
    }
}
