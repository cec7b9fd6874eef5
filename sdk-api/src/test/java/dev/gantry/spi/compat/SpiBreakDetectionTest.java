package dev.gantry.spi.compat;

import javassist.ClassPool;
import javassist.CtClass;
import javassist.CtMethod;
import javassist.CtNewMethod;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compatibility check catches what it must and excuses what it may: the SPI as built is changed
 * deliberately (bytecode edited with javassist), packed, and compared with the SPI as built.
 */
class SpiBreakDetectionTest {

    @TempDir
    Path dir;

    Path unchanged;
    ClassPool pool;
    Path classes;

    @BeforeEach
    void copyTheSpi() throws Exception {
        unchanged = ClassesJar.of(SpiBuild.classes(), dir.resolve("unchanged.jar"));
        classes = ClassesJar.copy(SpiBuild.classes(), Files.createDirectory(dir.resolve("classes")));
        pool = new ClassPool(true);
        pool.appendClassPath(classes.toString());
    }

    List<SpiCompatibilityCheck.Break> breaks(Set<String> accepted) {
        return SpiCompatibilityCheck.breaks(unchanged, ClassesJar.of(classes, dir.resolve("changed.jar")), accepted);
    }

    void removeMethod(String type, String method) throws Exception {
        CtClass c = pool.get(type);
        c.defrost();
        c.removeMethod(c.getDeclaredMethod(method));
        c.writeFile(classes.toString());
    }

    @Test
    void theSpiIsCompatibleWithItself() {
        assertEquals(List.of(), breaks(Set.of()));
    }

    @Test
    void removingAStableMethodBreaksTheBuild() throws Exception {
        removeMethod("dev.gantry.spi.GantryPlugin", "version");
        List<SpiCompatibilityCheck.Break> found = breaks(Set.of());
        assertTrue(found.stream().anyMatch(b -> b.element().equals("dev.gantry.spi.GantryPlugin#version()")
                && b.change().equals("METHOD_REMOVED") && !b.binary()), found.toString());
    }

    @Test
    void addingAnAbstractMethodToAStableInterfaceBreaksTheBuild() throws Exception {
        CtClass scheduler = pool.get("dev.gantry.spi.scheduler.Scheduler");
        CtMethod added = CtNewMethod.abstractMethod(CtClass.intType, "queueLength", new CtClass[0], null, scheduler);
        scheduler.addMethod(added);
        scheduler.writeFile(classes.toString());
        List<SpiCompatibilityCheck.Break> found = breaks(Set.of());
        assertTrue(found.stream().anyMatch(b -> b.element().startsWith("dev.gantry.spi.scheduler.Scheduler")),
                "plugins implementing Scheduler no longer compile: " + found);
    }

    @Test
    void changingExperimentalElementsIsExcused() throws Exception {
        removeMethod("dev.gantry.spi.speculator.SpeculationContext", "draft");
        removeMethod("dev.gantry.spi.kv.KVCodec", "calibrate");
        removeMethod("dev.gantry.spi.speculator.DraftRunner", "commit");
        assertEquals(List.of(), breaks(Set.of()), "@Api(status = EXPERIMENTAL) elements carry no promise");
    }

    @Test
    void anAcceptedBreakPassesAndOnlyThatOne() throws Exception {
        removeMethod("dev.gantry.spi.scheduler.KvBudget", "usage");
        removeMethod("dev.gantry.spi.scheduler.KvBudget", "blocksFor");
        List<SpiCompatibilityCheck.Break> found = breaks(Set.of(
                "dev.gantry.spi.scheduler.KvBudget#usage() | METHOD_REMOVED"));
        assertEquals(1, found.size(), found.toString());
        assertEquals("dev.gantry.spi.scheduler.KvBudget#blocksFor(I)", found.getFirst().element());
    }

    @Test
    void theAcceptedBreaksFileNeedsAReasonForEachBreak() throws Exception {
        Path file = dir.resolve("accepted.txt");
        Files.writeString(file, "# comment\ndev.gantry.spi.scheduler.KvBudget#usage() | METHOD_REMOVED | replaced by "
                + "freeFraction()\n");
        assertEquals(Set.of("dev.gantry.spi.scheduler.KvBudget#usage() | METHOD_REMOVED"),
                SpiCompatibilityCheck.accepted(file));
        Files.writeString(file, "dev.gantry.spi.scheduler.KvBudget#usage() | METHOD_REMOVED\n");
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SpiCompatibilityCheck.accepted(file)).getMessage().contains("reason"));
    }
}
