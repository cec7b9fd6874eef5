package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One pipeline stage of an instance: the devices that run it and the part of the model they hold.
 *
 * <p>Device order matters. The devices form {@code deviceIds.size() / tensorParallel} lanes of
 * {@code tensorParallel} devices each: device {@code i} is lane {@code i / tensorParallel} and holds tensor
 * shard {@code i % tensorParallel}. Lanes are the instance's sequence-parallel ranks (LoongServe), or, when a
 * stage uses a smaller tensor degree than its instance (Galvatron's per-layer strategies), data-parallel
 * copies within the stage. Each lane holds a full copy of its shards' weights.
 *
 * @param index          the stage's position in its instance, from 0
 * @param deviceIds      the devices running the stage, lane by lane; not empty, no duplicates
 * @param slice          the layers or graph nodes the stage holds; not null
 * @param tensorParallel how many devices split each layer's matrices; ≥ 1 and divides the device count
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record StageAssignment(int index, List<String> deviceIds, ModelSlice slice, int tensorParallel) {

    /**
     * Copies the device ids and checks the stage.
     *
     * @throws IllegalArgumentException naming the stage and what is wrong with it
     */
    public StageAssignment {
        deviceIds = List.copyOf(deviceIds);
        String s = "stage " + index + ": ";
        if (index < 0) {
            throw new IllegalArgumentException(s + "index must be ≥ 0");
        }
        Objects.requireNonNull(slice, s + "slice");
        if (deviceIds.isEmpty()) {
            throw new IllegalArgumentException(s + "needs at least one device");
        }
        if (new HashSet<>(deviceIds).size() != deviceIds.size()) {
            throw new IllegalArgumentException(s + "lists a device twice: " + deviceIds);
        }
        if (tensorParallel < 1 || deviceIds.size() % tensorParallel != 0) {
            throw new IllegalArgumentException(s + "tensorParallel " + tensorParallel + " must be ≥ 1 and divide its "
                    + deviceIds.size() + " devices");
        }
    }

    /**
     * Layers {@code [from, to)} on these devices, all of them splitting each layer (one lane).
     *
     * @param index     the stage's position in its instance
     * @param deviceIds the devices; not empty
     * @param from      the first layer held
     * @param to        one past the last layer held
     * @return the stage
     */
    public static StageAssignment ofLayers(int index, List<String> deviceIds, int from, int to) {
        return new StageAssignment(index, deviceIds, new LayerRange(from, to), deviceIds.size());
    }

    /**
     * Graph nodes on these devices, all of them splitting each node (one lane).
     *
     * @param index     the stage's position in its instance
     * @param deviceIds the devices; not empty
     * @param nodeIds   the graph nodes held; not empty
     * @return the stage
     */
    @Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
    public static StageAssignment ofGraphNodes(int index, List<String> deviceIds, List<String> nodeIds) {
        return new StageAssignment(index, deviceIds, new GraphNodes(nodeIds), deviceIds.size());
    }

    /** {@return number of lanes: sequence-parallel ranks or in-stage data-parallel copies} */
    public int lanes() {
        return deviceIds.size() / tensorParallel;
    }
}
