package dev.gantry.runtime.serving;

import dev.gantry.engine.Engine;
import dev.gantry.engine.gguf.GgufFile;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.runtime.chat.ChatPromptEncoder;
import dev.gantry.runtime.chat.ChatTemplate;
import dev.gantry.runtime.config.EngineSettings;
import dev.gantry.runtime.config.GantryConfig;
import dev.gantry.runtime.config.PluginDiscovery;
import dev.gantry.runtime.config.StartupValidation;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Brings the model up: checks the configuration before anything else (a bad value stops start-up with one
 * message), then opens the model and wires the configured plugins on a background thread, so that the HTTP
 * server answers probes (and 503) while a large model loads. A model that fails to load stops the process.
 *
 * <p>On SIGTERM the service drains: a JVM shutdown hook, which runs as soon as the signal arrives, turns new
 * requests (and readiness) to 503, while Quarkus waits up to {@code gantry.drain-timeout} for the requests
 * already running ({@code quarkus.shutdown.timeout} follows the setting); then the engine is closed.
 */
@ApplicationScoped
public class EngineLoader {

    private static final Logger LOG = Logger.getLogger(EngineLoader.class);

    /** The GGUF metadata key of the chat template. */
    static final String CHAT_TEMPLATE_KEY = "tokenizer.chat_template";

    @Inject
    GantryConfig config;

    @Inject
    ServiceLifecycle lifecycle;

    private Thread drainHook;

    void onStart(@Observes StartupEvent event) {
        PluginRegistry registry;
        try {
            registry = PluginDiscovery.registry(config.pluginPath());
        } catch (RuntimeException e) {
            throw new ConfigurationException("Gantry cannot start: " + e.getMessage());
        }
        LOG.infof("installed plugins: %s", PluginDiscovery.describe(registry));
        StartupValidation.requireValid(config, registry);
        drainHook = Thread.ofPlatform().name("gantry-drain").unstarted(lifecycle::drain);
        Runtime.getRuntime().addShutdownHook(drainHook);
        Thread.ofPlatform().name("gantry-model-loader").daemon().start(() -> load(registry));
    }

    void onStop(@Observes ShutdownEvent event) {
        lifecycle.stop();
        try {
            // Stopped without a signal (tests, dev mode): the hook must not outlive this application.
            Runtime.getRuntime().removeShutdownHook(drainHook);
        } catch (IllegalStateException e) {
            // The JVM is exiting: the hook has run.
        }
    }

    private void load(PluginRegistry registry) {
        try {
            Path path;
            String name = EngineSettings.modelName(config, DemoModel.NAME);
            if (config.model().path().isPresent()) {
                path = config.model().path().get().toAbsolutePath().normalize();
            } else {
                LOG.warnf("gantry.model.path is not set: serving the built-in demo model '%s' (random weights: its"
                        + " output is meaningless). For real text point it at a Llama-family GGUF file:"
                        + " ./gantry serve --model FILE, or gantry.model.path=FILE (GANTRY_MODEL_PATH=FILE).", name);
                path = DemoModel.write();
            }
            LOG.infof("loading %s from %s", name, path);
            Engine engine = Engine.open(path, EngineSettings.options(config), registry);
            ServedModel served;
            try {
                Tokenizer tokenizer = engine.tokenizer();
                ChatTemplate template = ChatTemplate.of(readChatTemplate(path), piece(tokenizer, tokenizer.bosId()),
                        piece(tokenizer, tokenizer.eosId()));
                if (template.isFallback()) {
                    LOG.infof("%s has no %s: chat messages use the fallback template", name, CHAT_TEMPLATE_KEY);
                }
                served = new ServedModel(engine, name, template, new ChatPromptEncoder(tokenizer), registry,
                        Instant.now().getEpochSecond());
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            if (lifecycle.ready(served)) {
                LOG.infof("serving %s: context %d tokens, plugins %s", name, served.contextLength(),
                        String.join(", ", engine.plugins().names()));
            }
        } catch (RuntimeException | Error e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            lifecycle.failed(reason);
            LOG.errorf("Gantry cannot serve the model: %s", reason);
            LOG.debug("model loading failed", e);
            Quarkus.asyncExit(1);
        }
    }

    private static String readChatTemplate(Path model) {
        try (GgufFile file = GgufFile.open(model)) {
            return file.metadata().optionalString(CHAT_TEMPLATE_KEY).orElse(null);
        }
    }

    private static String piece(Tokenizer tokenizer, int id) {
        return id < 0 ? "" : tokenizer.piece(id);
    }
}
