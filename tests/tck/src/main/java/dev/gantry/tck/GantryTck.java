package dev.gantry.tck;

import dev.gantry.engine.plugin.ExtensionPoint;
import dev.gantry.spi.GantryPlugin;
import dev.gantry.tck.attention.AttentionKit;
import dev.gantry.tck.kv.KVCodecKit;
import dev.gantry.tck.planner.PlannerKit;
import dev.gantry.tck.scheduler.SchedulerKit;
import dev.gantry.tck.speculator.SpeculatorKit;

/**
 * Where a plugin author starts: one entry point per extension point, in two forms.
 *
 * <ul>
 *   <li>{@code GantryTck.scheduler("fastserve")} finds the implementation by name exactly as Gantry does at
 *       start-up — through {@link java.util.ServiceLoader} and every {@code META-INF/services} entry on the
 *       test class path, with the same checks — so a missing services line or a name clash fails here
 *       first;</li>
 *   <li>{@code GantryTck.scheduler(plugin, "fastserve")} takes a plugin instance and skips discovery.</li>
 * </ul>
 *
 * <p>Each returns a kit for that extension point: set the plugin's settings with {@code config(key, value)},
 * declare its behaviours with {@code behaves(...)}, and either extend the matching contract test
 * ({@code SchedulerContractTest}, {@code SpeculatorContractTest}, {@code AttentionBackendContractTest},
 * {@code KVCodecContractTest}, {@code ParallelPlannerContractTest}), which runs every check, or call the kit's
 * {@code run()} and check what it recorded yourself.
 */
public final class GantryTck {

    private GantryTck() {
    }

    /** The scheduler installed under {@code name} ({@code gantry.scheduler=<name>}). */
    public static SchedulerKit scheduler(String name) {
        return SchedulerKit.of(PluginUnderTest.discover(ExtensionPoint.SCHEDULER, name));
    }

    /** The scheduler {@code name} of this plugin instance, without discovery. */
    public static SchedulerKit scheduler(GantryPlugin plugin, String name) {
        return SchedulerKit.of(PluginUnderTest.of(ExtensionPoint.SCHEDULER, plugin, name));
    }

    /** The speculator installed under {@code name} ({@code gantry.speculator=<name>}). */
    public static SpeculatorKit speculator(String name) {
        return SpeculatorKit.of(PluginUnderTest.discover(ExtensionPoint.SPECULATOR, name));
    }

    /** The speculator {@code name} of this plugin instance, without discovery. */
    public static SpeculatorKit speculator(GantryPlugin plugin, String name) {
        return SpeculatorKit.of(PluginUnderTest.of(ExtensionPoint.SPECULATOR, plugin, name));
    }

    /** The attention backend installed under {@code name} ({@code gantry.attention=<name>}). */
    public static AttentionKit attentionBackend(String name) {
        return AttentionKit.of(PluginUnderTest.discover(ExtensionPoint.ATTENTION, name));
    }

    /** The attention backend {@code name} of this plugin instance, without discovery. */
    public static AttentionKit attentionBackend(GantryPlugin plugin, String name) {
        return AttentionKit.of(PluginUnderTest.of(ExtensionPoint.ATTENTION, plugin, name));
    }

    /** The KV codec installed under {@code name} ({@code gantry.kv-codec=<name>}). */
    public static KVCodecKit kvCodec(String name) {
        return KVCodecKit.of(PluginUnderTest.discover(ExtensionPoint.KV_CODEC, name));
    }

    /** The KV codec {@code name} of this plugin instance, without discovery. */
    public static KVCodecKit kvCodec(GantryPlugin plugin, String name) {
        return KVCodecKit.of(PluginUnderTest.of(ExtensionPoint.KV_CODEC, plugin, name));
    }

    /** The parallel planner installed under {@code name} ({@code gantry.planner=<name>}). */
    public static PlannerKit parallelPlanner(String name) {
        return PlannerKit.of(PluginUnderTest.discover(ExtensionPoint.PLANNER, name));
    }

    /** The parallel planner {@code name} of this plugin instance, without discovery. */
    public static PlannerKit parallelPlanner(GantryPlugin plugin, String name) {
        return PlannerKit.of(PluginUnderTest.of(ExtensionPoint.PLANNER, plugin, name));
    }
}
