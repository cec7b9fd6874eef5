package dev.gantry.engine.plugin;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Builds a real plugin jar in a test: compiles Java sources against the SPI on the test class path, then
 * writes the classes, a {@code META-INF/services} entry and a manifest, as a third party's build would.
 */
final class PluginJarBuilder {

    private final Map<String, String> sources = new LinkedHashMap<>();
    private final List<String> services = new ArrayList<>();
    private String spiVersion = "0.1.0";

    /** Adds a compilation unit: its fully qualified class name and source. */
    PluginJarBuilder source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /** Lists a {@code GantryPlugin} implementation in {@code META-INF/services}. */
    PluginJarBuilder service(String className) {
        services.add(className);
        return this;
    }

    /** The {@code Gantry-SPI-Version} attribute to write; null writes none. */
    PluginJarBuilder spiVersion(String version) {
        spiVersion = version;
        return this;
    }

    /** Compiles and writes the jar to {@code jar}. */
    Path writeTo(Path jar) {
        try {
            Path work = Files.createTempDirectory(jar.getParent(), "src");
            List<Path> files = new ArrayList<>();
            for (Map.Entry<String, String> e : sources.entrySet()) {
                Path file = work.resolve(e.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, e.getValue());
                files.add(file);
            }
            Path classes = Files.createDirectories(work.resolve("classes"));
            compile(files, classes);
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            if (spiVersion != null) {
                manifest.getMainAttributes().putValue("Gantry-SPI-Version", spiVersion);
            }
            try (OutputStream out = Files.newOutputStream(jar);
                 JarOutputStream zip = new JarOutputStream(out, manifest);
                 Stream<Path> walk = Files.walk(classes)) {
                for (Path c : walk.filter(Files::isRegularFile).toList()) {
                    zip.putNextEntry(new JarEntry(classes.relativize(c).toString().replace('\\', '/')));
                    zip.write(Files.readAllBytes(c));
                    zip.closeEntry();
                }
                if (!services.isEmpty()) {
                    zip.putNextEntry(new JarEntry("META-INF/services/dev.gantry.spi.GantryPlugin"));
                    zip.write((String.join("\n", services) + "\n").getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                }
            }
            return jar.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compile(List<Path> files, Path classes) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        // Compile against the SPI alone, as a third party does.
        String spi;
        try {
            spi = Path.of(dev.gantry.spi.GantryPlugin.class.getProtectionDomain().getCodeSource().getLocation()
                    .toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> args = new ArrayList<>(List.of("-d", classes.toString(), "-classpath", spi, "--release", "25",
                "-proc:none"));
        files.forEach(f -> args.add(f.toString()));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin did not compile:\n" + err);
        }
    }

    /** The source of a plugin named {@code name} providing one scheduler named {@code scheduler}. */
    static String schedulerPlugin(String pkg, String className, String name, String scheduler) {
        return """
                package %1$s;

                import dev.gantry.spi.GantryPlugin;
                import dev.gantry.spi.PluginConfig;
                import dev.gantry.spi.scheduler.Scheduler;
                import dev.gantry.spi.scheduler.SchedulerContext;
                import dev.gantry.spi.scheduler.SchedulerFactory;
                import dev.gantry.spi.scheduler.SchedulerView;
                import dev.gantry.spi.scheduler.StepPlan;
                import java.util.List;

                public final class %2$s implements GantryPlugin {
                    public String name() { return "%3$s"; }
                    public String version() { return "1.2.3"; }
                    public List<SchedulerFactory> schedulers() {
                        return List.of(new SchedulerFactory() {
                            public String name() { return "%4$s"; }
                            public Scheduler create(PluginConfig config, SchedulerContext context) {
                                return new Scheduler() {
                                    public String name() { return "%4$s"; }
                                    public StepPlan schedule(SchedulerView view) { return StepPlan.IDLE; }
                                };
                            }
                        });
                    }
                }
                """.formatted(pkg, className, name, scheduler);
    }
}
