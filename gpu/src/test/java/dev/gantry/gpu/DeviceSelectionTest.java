package dev.gantry.gpu;

import dev.gantry.engine.compute.Device;
import dev.gantry.engine.compute.DeviceSelection;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code gantry.device} with the GPU module on the class path: the provider is found; the probe answers
 * without throwing whatever the machine (no driver is a {@link LinkageError} caught once); {@code auto} falls
 * back to the CPU and {@code cuda} refuses, naming the reason, where no GPU is usable.
 */
class DeviceSelectionTest {

    @Test
    void theCudaProviderIsInstalled() {
        assertTrue(DeviceSelection.installed("cuda"));
        assertEquals(1, DeviceSelection.providers("cuda").size());
    }

    @Test
    void theProbeAnswersTwiceTheSame() {
        CudaProbe.Result first = CudaProbe.result();
        assertEquals(first, CudaProbe.result());
        assertEquals(first.usable(), first.unavailableReason().isEmpty());
    }

    @Test
    void withoutAGpuAutoUsesTheCpuAndCudaFailsClearly() {
        CudaProbe.Result probe = CudaProbe.result();
        Assumptions.assumeFalse(probe.usable(), "this machine has a usable GPU");
        try (Device d = DeviceSelection.parse("auto").open(1)) {
            assertEquals("cpu", d.name());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceSelection.parse("cuda:1").open(1));
        assertTrue(e.getMessage().startsWith("gantry.device=cuda:1 but no CUDA device is usable: "), e.getMessage());
        assertTrue(e.getMessage().contains(probe.unavailableReason().orElseThrow()), e.getMessage());
    }

    @Test
    void settingsParse() {
        assertEquals(new DeviceSelection("cuda", 2), DeviceSelection.parse(" cuda:2 "));
        assertEquals(new DeviceSelection("cuda", 0), DeviceSelection.parse("cuda"));
        assertEquals("cpu", DeviceSelection.parse("cpu").kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DeviceSelection.parse("tpu"));
        assertEquals("gantry.device=tpu is not a device; allowed: auto, cpu, cuda, cuda:N", e.getMessage());
        assertFalse(CudaProbe.missingKernels().isPresent() && CudaProbe.result().usable());
    }
}
