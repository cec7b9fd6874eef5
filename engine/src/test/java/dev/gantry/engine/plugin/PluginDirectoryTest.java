package dev.gantry.engine.plugin;

import dev.gantry.spi.GantryPlugin;
import dev.gantry.spi.ModelInfo;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.StepLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins from a directory of jars ({@code gantry.plugin-path}): each jar in its own class loader sharing only
 * the SPI, its source recorded, and every way a jar can be wrong refused with a message naming it.
 */
class PluginDirectoryTest {

    static final ModelInfo MODEL = new ModelInfo("m", "llama", 2, 64, 4, 2, 16, 96, 320, 256, 1000);

    @TempDir
    Path dir;

    Path jar(String file, PluginJarBuilder builder) {
        return builder.writeTo(dir.resolve(file));
    }

    static PluginJarBuilder schedulerJar(String pkg, String name, String scheduler) {
        return new PluginJarBuilder().source(pkg + ".Plugin", PluginJarBuilder.schedulerPlugin(pkg, "Plugin", name,
                scheduler)).service(pkg + ".Plugin");
    }

    @Test
    void aJarPluginIsInstalledBesideTheBundledOnesWithItsJarAsSource() {
        Path jar = jar("priority.jar", schedulerJar("com.example.priority", "priority", "priority"));
        PluginRegistry registry = PluginRegistry.discover(dir);
        assertEquals(List.of("baseline", "priority"), List.copyOf(registry.plugins().keySet()));
        assertEquals(jar.toString(), registry.source("priority"));
        assertTrue(Path.of(registry.source("priority")).isAbsolute());
        assertEquals(InstalledPlugin.BUNDLED, registry.source("baseline"));
        assertEquals("1.2.3", registry.installed().get("priority").version());
        assertEquals(Map.of(ExtensionPoint.SCHEDULER, List.of("priority")), registry.providedBy("priority"));
        assertEquals(List.of("fcfs", "priority"), registry.names(ExtensionPoint.SCHEDULER));

        ActivePlugins active = ActivePlugins.create(registry, PluginSelection.defaults()
                .with(ExtensionPoint.SCHEDULER, "priority"), MODEL, Optional.empty(), new StepLimits(64, 8), 16, 1,
                "t", 16);
        Scheduler scheduler = active.scheduler();
        assertEquals("priority", scheduler.name());
        assertEquals(jar.toString(), ((PluginClassLoader) scheduler.getClass().getClassLoader()).jar().toString());
    }

    @Test
    void aPluginSeesTheSpiAndTheJdkButNotGantryAndItsOwnCopiesOfLibrariesWin() throws Exception {
        jar("isolated.jar", schedulerJar("com.example.isolated", "isolated", "isolated")
                .source("picocli.CommandLine", "package picocli; public final class CommandLine {}"));
        GantryPlugin plugin = PluginRegistry.discover(dir).plugins().get("isolated");
        ClassLoader loader = plugin.getClass().getClassLoader();
        assertSame(GantryPlugin.class, loader.loadClass("dev.gantry.spi.GantryPlugin"), "one SPI for all");
        assertSame(String.class, loader.loadClass("java.lang.String"));
        assertThrows(ClassNotFoundException.class, () -> loader.loadClass("dev.gantry.engine.Engine"));
        assertThrows(ClassNotFoundException.class,
                () -> loader.loadClass("dev.gantry.plugins.baseline.BaselinePlugin"), "no other plugin");
        Class<?> own = loader.loadClass("picocli.CommandLine");
        assertNotSame(picocli.CommandLine.class, own, "the jar's copy of a library, not Gantry's");
        assertSame(loader, own.getClassLoader());
        assertTrue(loader.getResource("META-INF/services/dev.gantry.spi.GantryPlugin").toString().contains(
                "isolated.jar"), "the jar's own services entry, not Gantry's");
    }

    @Test
    void aPluginBuiltAgainstAnIncompatibleSpiIsRefusedNamingTheJarAndBothVersions() {
        Path newer = jar("future.jar", schedulerJar("com.example.future", "future", "future").spiVersion("1.0.0"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertTrue(e.getMessage().startsWith("plugin jar " + newer + " was built against SPI 1.0.0, which this "
                + "Gantry (SPI 0.1."), e.getMessage());
        assertTrue(e.getMessage().contains("rebuild the plugin against gantry-sdk-api"), e.getMessage());
    }

    @Test
    void aPluginBuiltAgainstANewerMinorOfZeroXIsRefusedToo() {
        jar("next.jar", schedulerJar("com.example.next", "next", "next").spiVersion("0.2.0"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertTrue(e.getMessage().contains("was built against SPI 0.2.0"), e.getMessage());
    }

    @Test
    void aJarThatDoesNotRecordItsSpiVersionIsRefused() {
        Path jar = jar("old.jar", schedulerJar("com.example.old", "old", "old").spiVersion(null));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertEquals("plugin jar " + jar + " does not say which SPI it was built against: its manifest needs the "
                + "attribute Gantry-SPI-Version (the gantry-sdk-api version it was compiled with)", e.getMessage());
    }

    @Test
    void aJarWithoutAServiceEntryIsRefused() {
        Path jar = jar("lib.jar", new PluginJarBuilder().source("com.example.lib.Util",
                "package com.example.lib; public final class Util {}"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertTrue(e.getMessage().startsWith("plugin jar " + jar + " provides no plugin"), e.getMessage());
    }

    @Test
    void twoJarsWithOnePluginNameAreRefusedNamingBothJars() {
        Path a = jar("a.jar", schedulerJar("com.example.a", "twin", "twin-a"));
        Path b = jar("b.jar", schedulerJar("com.example.b", "twin", "twin-b"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertEquals("two plugins are named 'twin': com.example.a.Plugin (" + a + ") and com.example.b.Plugin ("
                + b + "); remove one of them", e.getMessage());
    }

    @Test
    void aJarClaimingTheBundledBaselinesNameIsRefused() {
        Path jar = jar("fake.jar", schedulerJar("com.example.fake", "baseline", "fake"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertTrue(e.getMessage().startsWith("two plugins are named 'baseline': "
                + "dev.gantry.plugins.baseline.BaselinePlugin (bundled) and com.example.fake.Plugin (" + jar + ")"),
                e.getMessage());
    }

    @Test
    void aPluginWhoseConstructorThrowsIsRefusedNamingTheJarAndTheCause() {
        Path jar = jar("broken.jar", new PluginJarBuilder().source("com.example.broken.Plugin", """
                package com.example.broken;
                public final class Plugin implements dev.gantry.spi.GantryPlugin {
                    public Plugin() { throw new IllegalStateException("no licence file"); }
                    public String name() { return "broken"; }
                }
                """).service("com.example.broken.Plugin"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertTrue(e.getMessage().startsWith("plugin jar " + jar + " could not be loaded"), e.getMessage());
        assertTrue(e.getMessage().contains("no licence file"), e.getMessage());
    }

    @Test
    void aPluginWhoseFactoryListThrowsIsRefusedNamingThePluginAndItsJar() {
        Path jar = jar("lister.jar", new PluginJarBuilder().source("com.example.lister.Plugin", """
                package com.example.lister;
                import java.util.List;
                import dev.gantry.spi.scheduler.SchedulerFactory;
                public final class Plugin implements dev.gantry.spi.GantryPlugin {
                    public String name() { return "lister"; }
                    public List<SchedulerFactory> schedulers() { throw new IllegalStateException("not configured"); }
                }
                """).service("com.example.lister.Plugin"));
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(dir));
        assertEquals("plugin com.example.lister.Plugin (" + jar + ") failed while giving its scheduler factories: "
                + "java.lang.IllegalStateException: not configured", e.getMessage());
    }

    @Test
    void aFactoryWhoseCreateThrowsStopsStartUpNamingTheImplementationPluginAndJar() {
        Path jar = jar("creator.jar", new PluginJarBuilder().source("com.example.creator.Plugin", """
                package com.example.creator;
                import java.util.List;
                import dev.gantry.spi.PluginConfig;
                import dev.gantry.spi.scheduler.*;
                public final class Plugin implements dev.gantry.spi.GantryPlugin {
                    public String name() { return "creator"; }
                    public List<SchedulerFactory> schedulers() {
                        return List.of(new SchedulerFactory() {
                            public String name() { return "eager"; }
                            public Scheduler create(PluginConfig c, SchedulerContext x) {
                                throw new UnsupportedOperationException("needs two instances");
                            }
                        });
                    }
                }
                """).service("com.example.creator.Plugin"));
        PluginRegistry registry = PluginRegistry.discover(dir);
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> ActivePlugins.create(registry,
                PluginSelection.defaults().with(ExtensionPoint.SCHEDULER, "eager"), MODEL, Optional.empty(),
                new StepLimits(64, 8), 16, 1, "t", 16));
        assertEquals("scheduler 'eager' of plugin 'creator' (" + jar + ") failed to start: "
                + "java.lang.UnsupportedOperationException: needs two instances", e.getMessage());
    }

    @Test
    void aMissingPluginDirectoryIsRefusedAndAnEmptyOneGivesTheBundledPlugins() throws Exception {
        Path missing = dir.resolve("nowhere");
        PluginLoadException e = assertThrows(PluginLoadException.class, () -> PluginRegistry.discover(missing));
        assertEquals("the plugin path " + missing + " is not a directory", e.getMessage());
        Path empty = Files.createDirectory(dir.resolve("empty"));
        assertEquals(List.of("baseline"), List.copyOf(PluginRegistry.discover(empty).plugins().keySet()));
    }

    @Test
    void spiVersionsFollowTheZeroXRule() {
        SpiVersion host = SpiVersion.parse("0.3.1-SNAPSHOT");
        assertTrue(host.runs(SpiVersion.parse("0.3.0")));
        assertTrue(host.runs(SpiVersion.parse("0.3")));
        assertTrue(!host.runs(SpiVersion.parse("0.2.9")), "another 0.x minor is another compatibility line");
        assertTrue(!host.runs(SpiVersion.parse("0.3.2")), "newer than the host");
        assertTrue(SpiVersion.parse("1.4.0").runs(SpiVersion.parse("1.0.2")));
        assertTrue(!SpiVersion.parse("2.0.0").runs(SpiVersion.parse("1.9.0")));
        assertEquals("0.1.0-SNAPSHOT", SpiVersion.current().orElseThrow().toString(),
                "the build records gantry-sdk-api's version");
        assertThrows(IllegalArgumentException.class, () -> SpiVersion.parse("one"));
    }
}
