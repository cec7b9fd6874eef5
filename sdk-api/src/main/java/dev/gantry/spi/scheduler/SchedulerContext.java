package dev.gantry.spi.scheduler;

import dev.gantry.spi.Api;
import dev.gantry.spi.ModelInfo;

import java.util.List;

/**
 * What the engine tells a scheduler factory about where the scheduler will run.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface SchedulerContext {

    /** The models this engine serves; usually one. */
    List<ModelInfo> models();

    /** The step limits from configuration. */
    StepLimits limits();

    /** Tokens per KV block. */
    int blockSize();

    /** This instance's id ({@code gantry.instance-id}), to recognise preemption notices meant for it. */
    String instanceId();
}
