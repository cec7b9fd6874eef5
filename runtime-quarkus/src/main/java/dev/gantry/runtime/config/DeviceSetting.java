package dev.gantry.runtime.config;

import dev.gantry.engine.compute.DeviceSelection;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code gantry.device} value. {@code auto} uses a CUDA GPU when the GPU module (gantry-gpu, a
 * dependency of the service) finds a usable one and the CPU otherwise; an explicit {@code cuda} request with no
 * usable GPU is refused at start-up, naming the reason, rather than silently run on the CPU.
 *
 * @param kind      {@code auto}, {@code cpu} or {@code cuda}
 * @param cudaIndex the CUDA device number for {@code cuda:N} (0 for plain {@code cuda}); -1 otherwise
 */
public record DeviceSetting(String kind, int cudaIndex) {

    /** The values {@code gantry.device} accepts, for messages. */
    public static final String ALLOWED = "auto, cpu, cuda, cuda:N";

    private static final Pattern SYNTAX = Pattern.compile("auto|cpu|cuda(?::(\\d{1,3}))?");

    /**
     * Parses a value.
     *
     * @throws IllegalArgumentException naming {@code gantry.device} and the allowed values
     */
    public static DeviceSetting parse(String raw) {
        Matcher m = SYNTAX.matcher(raw == null ? "" : raw.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("gantry.device=" + raw + " is not a device; allowed: " + ALLOWED);
        }
        String value = m.group();
        if (value.startsWith("cuda")) {
            return new DeviceSetting("cuda", m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        return new DeviceSetting(value, -1);
    }

    /** Whether this build has the device's backend: the CPU and {@code auto} always; {@code cuda} with gantry-gpu. */
    public boolean availableInThisBuild() {
        return !kind.equals("cuda") || DeviceSelection.installed("cuda");
    }

    /** Why the device cannot be used on this machine, or empty when it can (the CPU and {@code auto} always can). */
    public Optional<String> unavailableReason() {
        if (!kind.equals("cuda")) {
            return Optional.empty();
        }
        if (!availableInThisBuild()) {
            return Optional.of("this build has no CUDA backend (gantry-gpu is not on the class path)");
        }
        return DeviceSelection.providers("cuda").getFirst().unavailableReason()
                .map(reason -> "no usable CUDA device: " + reason);
    }

    /** The engine's form of this setting. */
    public DeviceSelection toEngine() {
        return new DeviceSelection(kind, Math.max(0, cudaIndex));
    }
}
