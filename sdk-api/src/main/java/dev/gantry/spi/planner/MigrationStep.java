package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Objects;
import java.util.Optional;

/**
 * One device taking over one position of the new plan: tensor shard {@code position % tensorParallel} of
 * the slice of stage {@code stageIndex} of instance {@code instanceId} (see {@link StageAssignment} for how
 * positions map to shards). Positions the device already holds need no step.
 *
 * @param instanceId     the new plan's instance; not blank
 * @param stageIndex     the stage within it; ≥ 0
 * @param position       the device's position in the stage's device list; ≥ 0
 * @param slice          the layers or graph nodes of that stage; not null
 * @param toDevice       the device that takes the position over; not blank
 * @param previousDevice the device that held this position (same instance id, stage and position) in the
 *                       current plan, if there was one — possibly a device that is gone, or
 *                       {@code toDevice} itself when what the position holds changed
 * @param sourceDevice   the surviving device the bytes are copied from; empty when weights are loaded from
 *                       storage and KV is recomputed; never {@code toDevice}
 * @param weightBytes    weight bytes {@code toDevice} receives; ≥ 0
 * @param kvBytes        KV-cache bytes it receives (SpotServe moves the KV of running requests within a
 *                       replica; 0 when requests will recompute); ≥ 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record MigrationStep(String instanceId, int stageIndex, int position, ModelSlice slice, String toDevice,
                            Optional<String> previousDevice, Optional<String> sourceDevice, long weightBytes,
                            long kvBytes) {

    /**
     * Checks the step.
     *
     * @throws IllegalArgumentException naming the step: a blank id, a negative index or size, or a device copying
     *                                   from itself
     */
    public MigrationStep {
        if (instanceId == null || instanceId.isBlank() || toDevice == null || toDevice.isBlank()) {
            throw new IllegalArgumentException("migration step: instanceId and toDevice must not be blank, got '"
                    + instanceId + "', '" + toDevice + "'");
        }
        String s = "migration step to " + toDevice + " (instance '" + instanceId + "' stage " + stageIndex + "): ";
        if (stageIndex < 0 || position < 0) {
            throw new IllegalArgumentException(s + "stageIndex and position must be ≥ 0, got " + stageIndex + ", "
                    + position);
        }
        Objects.requireNonNull(slice, s + "slice");
        Objects.requireNonNull(previousDevice, s + "previousDevice (use Optional.empty())");
        Objects.requireNonNull(sourceDevice, s + "sourceDevice (use Optional.empty())");
        if (sourceDevice.filter(toDevice::equals).isPresent()) {
            throw new IllegalArgumentException(s + "a device cannot copy from itself");
        }
        if (weightBytes < 0 || kvBytes < 0) {
            throw new IllegalArgumentException(s + "bytes must be ≥ 0, got weights " + weightBytes + ", KV "
                    + kvBytes);
        }
    }

    /** {@return weight and KV bytes this step moves} */
    public long bytes() {
        return weightBytes + kvBytes;
    }
}
