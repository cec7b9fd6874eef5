package dev.gantry.gpu;

import dev.gantry.engine.compute.Device;
import dev.gantry.engine.compute.DeviceProvider;

import java.util.Optional;

/** Offers {@link CudaDevice} to the engine's device selection ({@code gantry.device=auto|cuda[:N]}). */
public final class CudaDeviceProvider implements DeviceProvider {

    @Override
    public String kind() {
        return "cuda";
    }

    @Override
    public Optional<String> unavailableReason() {
        return CudaProbe.result().unavailableReason();
    }

    @Override
    public String describe(int index) {
        var devices = CudaProbe.result().devices();
        return index < devices.size() ? devices.get(index) : "no such device";
    }

    @Override
    public Device open(int index, int hostThreads) {
        return new CudaDevice(index, hostThreads);
    }
}
