package dev.gantry.engine.compute;

import java.util.Optional;

/**
 * A kind of accelerator the engine can compute on, found with {@link java.util.ServiceLoader} (a module such
 * as {@code gantry-gpu} lists its implementation in {@code META-INF/services}). The engine itself knows only
 * the CPU; {@link DeviceSelection} asks the providers on the class path when the configuration allows another
 * device.
 *
 * <p>Implementations must be cheap to construct; probing the hardware happens in {@link #unavailableReason},
 * at most once per process, and must never throw (a missing driver is an ordinary answer).
 */
public interface DeviceProvider {

    /** The device kind this provider opens, as written in {@code gantry.device} ("cuda"). */
    String kind();

    /** Why no device of this kind can be used here ("no CUDA driver: ..."), or empty when one can. */
    Optional<String> unavailableReason();

    /** A short description of device {@code index} for logs ("NVIDIA H100 80GB HBM3, 79 GiB"). */
    String describe(int index);

    /**
     * Opens device {@code index}.
     *
     * @param hostThreads threads for the work that stays on the host (attention plugins, sampling)
     * @throws IllegalStateException naming the device and the cause when it cannot be opened
     */
    Device open(int index, int hostThreads);
}
