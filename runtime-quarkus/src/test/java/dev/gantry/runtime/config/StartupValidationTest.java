package dev.gantry.runtime.config;

import dev.gantry.engine.EngineOptions;
import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.synth.ModelShapes;
import dev.gantry.engine.synth.SyntheticModelWriter;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The start-up check names the key, the value and what is allowed; good values become engine options. */
class StartupValidationTest {

    static final PluginRegistry REGISTRY = PluginRegistry.discover();

    @TempDir
    Path dir;

    static GantryConfig config(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(GantryConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 500))
                .build();
        return config.getConfigMapping(GantryConfig.class);
    }

    static List<String> problems(Map<String, String> properties) {
        return StartupValidation.problems(config(properties), REGISTRY);
    }

    @Test
    void defaultsAreValidAndMapOntoTheEngine() {
        GantryConfig c = config(Map.of());
        assertEquals(List.of(), StartupValidation.problems(c, REGISTRY));
        EngineOptions o = EngineSettings.options(c);
        assertEquals(256L << 20, o.kvBudgetBytes());
        assertEquals(16, o.blockSize());
        assertEquals(1024, o.maxWaiting());
        assertEquals("fcfs", o.plugins().nameFor(ExtensionPoint.SCHEDULER));
        assertEquals("gantry-demo", EngineSettings.modelName(c, "gantry-demo"));
    }

    @Test
    void everyKeyReachesTheEngine() throws IOException {
        Path model = dir.resolve("tiny-model.gguf");
        SyntheticModelWriter.write(ModelShapes.TINY, 1, model);
        Map<String, String> p = new HashMap<>();
        p.put("gantry.model.path", model.toString());
        p.put("gantry.threads", "1");
        p.put("gantry.kv.budget", "64M");
        p.put("gantry.kv.block-size", "32");
        p.put("gantry.queue.max-waiting", "7");
        p.put("gantry.kv-codec", "f16");
        p.put("gantry.speculator", "ngram");
        p.put("gantry.plugin.baseline.fcfs.preemption-mode", "swap");
        p.put("gantry.plugin.baseline.ngram.max", "3");
        p.put("gantry.instance-id", "node-7");
        p.put("gantry.device", "cpu");
        GantryConfig c = config(p);
        assertEquals(List.of(), StartupValidation.problems(c, REGISTRY));
        EngineOptions o = EngineSettings.options(c);
        assertEquals(1, o.threads());
        assertEquals(64L << 20, o.kvBudgetBytes());
        assertEquals(32, o.blockSize());
        assertEquals(7, o.maxWaiting());
        assertEquals("node-7", o.instanceId());
        assertEquals("f16", o.plugins().nameFor(ExtensionPoint.KV_CODEC));
        assertEquals("ngram", o.plugins().nameFor(ExtensionPoint.SPECULATOR));
        assertEquals(Map.of("fcfs.preemption-mode", "swap", "ngram.max", "3"), o.plugins().settings().get("baseline"));
        assertEquals("tiny-model", EngineSettings.modelName(c, "gantry-demo"));
    }

    @Test
    void unknownPluginNamesListTheInstalledOnes() {
        List<String> problems = problems(Map.of("gantry.scheduler", "fastserve", "gantry.kv-codec", "int3"));
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("gantry.scheduler=fastserve:"), problems.get(0));
        assertTrue(problems.get(0).endsWith("allowed: fcfs"), problems.get(0));
        assertTrue(problems.get(1).contains("gantry.kv-codec=int3") && problems.get(1).contains("allowed: f16, f32"),
                problems.get(1));
    }

    @Test
    void pluginSettingsAreCheckedAgainstTheirDeclaredKeys() {
        assertTrue(problems(Map.of("gantry.plugin.baseline.fcfs.preemption-mode", "sideways")).getFirst()
                .startsWith("gantry.plugin.baseline.fcfs.preemption-mode: 'sideways' is not one of"));
        assertTrue(problems(Map.of("gantry.plugin.baseline.fcfs.preemtion-mode", "swap")).getFirst()
                .contains("is not a known setting"));
        assertTrue(problems(Map.of("gantry.plugin.medusa.heads", "4")).getFirst()
                .contains("no installed plugin is named 'medusa'; allowed: baseline"));
    }

    @Test
    void modelFileProblemsNameTheKey() throws IOException {
        assertTrue(problems(Map.of("gantry.model.path", dir.resolve("missing.gguf").toString())).getFirst()
                .startsWith("gantry.model.path=" + dir.resolve("missing.gguf") + ": no such file"));
        Path garbage = Files.writeString(dir.resolve("notes.gguf"), "not a model");
        String problem = problems(Map.of("gantry.model.path", garbage.toString())).getFirst();
        assertTrue(problem.startsWith("gantry.model.path=" + garbage + ": "), problem);
    }

    @Test
    void valuesOutOfRangeNameTheKeyAndTheAllowedValues() {
        assertEquals(List.of("gantry.device=tpu is not a device; allowed: auto, cpu, cuda, cuda:N"),
                problems(Map.of("gantry.device", "tpu")));
        if (DeviceSetting.parse("cuda:1").unavailableReason().isPresent()) {  // no GPU on this machine
            assertTrue(problems(Map.of("gantry.device", "cuda:1")).getFirst()
                    .startsWith("gantry.device=cuda:1: no usable CUDA device: "));
        }
        assertEquals(List.of("gantry.threads=0 is out of range; allowed: 1 or more"),
                problems(Map.of("gantry.threads", "0")));
        assertEquals(List.of("gantry.kv.block-size=0 is out of range; allowed: 1 or more"),
                problems(Map.of("gantry.kv.block-size", "0")));
        assertEquals(List.of("gantry.queue.max-waiting=-3 is out of range; allowed: 1 or more"),
                problems(Map.of("gantry.queue.max-waiting", "-3")));
        assertTrue(problems(Map.of("gantry.metrics.prefix", "my-dash")).getFirst()
                .startsWith("gantry.metrics.prefix=my-dash is not a metric name prefix"));
        assertTrue(problems(Map.of("gantry.limits.max-tokens", "0")).getFirst()
                .startsWith("gantry.limits.max-tokens=0"));
        assertTrue(problems(Map.of("gantry.drain-timeout", "-5s")).getFirst().startsWith("gantry.drain-timeout="));
    }

    @Test
    void malformedValuesFailWhileReadingTheConfiguration() {
        RuntimeException e = assertThrows(RuntimeException.class, () -> config(Map.of("gantry.kv.budget", "lots")));
        assertTrue(String.valueOf(e.getMessage()).contains("gantry.kv.budget"), e.getMessage());
        e = assertThrows(RuntimeException.class, () -> config(Map.of("gantry.kafka.mode", "sometimes")));
        assertTrue(e.getMessage().contains("gantry.kafka.mode") && e.getMessage().contains("disabled"),
                e.getMessage());
    }

    @Test
    void everyProblemIsInTheOneStartUpMessage() {
        GantryConfig c = config(Map.of("gantry.scheduler", "nope", "gantry.device", "tpu"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> StartupValidation.requireValid(c, REGISTRY));
        assertTrue(e.getMessage().startsWith("Gantry cannot start: "));
        assertTrue(e.getMessage().contains("gantry.scheduler=nope") && e.getMessage().contains("gantry.device=tpu"));
    }

    @Test
    void aMissingPluginDirectoryIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PluginDiscovery.registry(java.util.Optional.of(dir.resolve("plugins"))));
        assertTrue(e.getMessage().startsWith("gantry.plugin-path="));
        assertEquals(REGISTRY.plugins().keySet(),
                PluginDiscovery.registry(java.util.Optional.of(dir)).plugins().keySet(), "an empty directory adds none");
    }
}
