package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * No plan exists for a problem, or a plan cannot run on its cluster: the weights fit on no device, a budget
 * excludes every device, a plan claims more memory than a device has. Planners throw it rather than return a
 * plan that would fail at run time; evaluators throw it for plans that cannot run at all. The message names
 * the model, the device and the quantities at fault, with their units.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public class InfeasiblePlanException extends RuntimeException {

    /**
     * Creates the exception.
     *
     * @param message what cannot be placed and why, naming the model, devices and sizes concerned
     */
    public InfeasiblePlanException(String message) {
        super(message);
    }
}
