/**
 * Gantry's service provider interface: the one dependency a plugin compiles against.
 *
 * <p>A plugin implements {@link dev.gantry.spi.GantryPlugin} and returns factories for any of the five
 * extension points, each in its own package:
 * {@link dev.gantry.spi.scheduler.Scheduler} (which sequences run each step),
 * {@link dev.gantry.spi.speculator.Speculator} (draft trees the engine verifies),
 * {@link dev.gantry.spi.attention.AttentionBackend} (attention over the paged KV cache),
 * {@link dev.gantry.spi.kv.KVCodec} (how KV blocks are stored), and
 * {@link dev.gantry.spi.planner.ParallelPlanner} (how a model is placed on a cluster).
 * Settings reach plugins as a {@link dev.gantry.spi.PluginConfig}; the stability of each element is declared
 * with {@link dev.gantry.spi.Api}.
 *
 * <p>This module depends on the JDK only.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
package dev.gantry.spi;
