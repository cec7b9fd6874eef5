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

    /** {@return the models this engine serves; usually one} */
    List<ModelInfo> models();

    /** {@return the step limits from configuration} */
    StepLimits limits();

    /** {@return tokens per KV block} */
    int blockSize();

    /** {@return this instance's id ({@code gantry.instance-id}), to recognise preemption notices meant for it} */
    String instanceId();
}
