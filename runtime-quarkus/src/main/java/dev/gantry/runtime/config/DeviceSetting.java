package dev.gantry.runtime.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code gantry.device} value. The engine runs on the CPU only until the GPU module arrives, so
 * {@code auto} means the CPU and an explicit {@code cuda} request is refused rather than silently ignored.
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

    /** Whether this build can run on the device: the CPU (and {@code auto}, which falls back to it). */
    public boolean availableInThisBuild() {
        return !kind.equals("cuda");
    }
}
