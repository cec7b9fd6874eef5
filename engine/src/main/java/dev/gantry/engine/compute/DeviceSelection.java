package dev.gantry.engine.compute;

import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code gantry.device} setting, {@code auto | cpu | cuda[:N]}, and the device it opens:
 * <ul>
 * <li>{@code cpu}: the {@link CpuDevice};</li>
 * <li>{@code auto}: a CUDA device when a {@link DeviceProvider} of kind {@code cuda} is on the class path and
 * its probe succeeds (driver, {@code cuInit}, a device), the CPU otherwise; one log line says which and why;</li>
 * <li>{@code cuda} or {@code cuda:N}: that CUDA device, or an {@link IllegalStateException} saying why there is
 * none — never a silent fall back to the CPU.</li>
 * </ul>
 *
 * @param kind  {@code auto}, {@code cpu} or {@code cuda}
 * @param index the CUDA device number ({@code cuda:N}; 0 for {@code cuda} and {@code auto})
 */
public record DeviceSelection(String kind, int index) {

    private static final Logger LOG = Logger.getLogger(DeviceSelection.class.getName());

    /** The values {@code gantry.device} accepts, for messages. */
    public static final String ALLOWED = "auto, cpu, cuda, cuda:N";

    private static final Pattern SYNTAX = Pattern.compile("auto|cpu|cuda(?::(\\d{1,3}))?");

    /** {@code auto}: the GPU when one is usable, else the CPU. */
    public static final DeviceSelection AUTO = new DeviceSelection("auto", 0);

    /**
     * Parses a setting.
     *
     * @throws IllegalArgumentException naming {@code gantry.device} and the allowed values
     */
    public static DeviceSelection parse(String raw) {
        Matcher m = SYNTAX.matcher(raw == null ? "" : raw.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("gantry.device=" + raw + " is not a device; allowed: " + ALLOWED);
        }
        String value = m.group();
        if (value.startsWith("cuda")) {
            return new DeviceSelection("cuda", m.group(1) == null ? 0 : Integer.parseInt(m.group(1)));
        }
        return new DeviceSelection(value, 0);
    }

    /** The providers of a kind on the class path. */
    public static List<DeviceProvider> providers(String kind) {
        return ServiceLoader.load(DeviceProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.kind().equals(kind)).toList();
    }

    /** Whether a provider of {@code kind} is on the class path at all (the build has the module). */
    public static boolean installed(String kind) {
        return !providers(kind).isEmpty();
    }

    /**
     * Opens the selected device.
     *
     * @throws IllegalStateException for {@code cuda} when no usable CUDA device exists, saying why
     */
    public Device open(int threads) {
        if (kind.equals("cpu")) {
            return new CpuDevice(threads);
        }
        List<DeviceProvider> cuda = providers("cuda");
        Optional<String> reason = cuda.isEmpty()
                ? Optional.of("this build has no GPU module (gantry-gpu is not on the class path)")
                : cuda.getFirst().unavailableReason();
        if (kind.equals("auto")) {
            if (reason.isPresent()) {
                LOG.info("device auto: no usable GPU (" + reason.get() + "); computing on the CPU");
                return new CpuDevice(threads);
            }
            LOG.info("device auto: using cuda:0 (" + cuda.getFirst().describe(0) + ")");
            return cuda.getFirst().open(0, threads);
        }
        if (reason.isPresent()) {
            throw new IllegalStateException("gantry.device=" + this + " but no CUDA device is usable: " + reason.get()
                    + "; use gantry.device=auto or cpu to compute on the CPU");
        }
        LOG.info("device " + this + ": " + cuda.getFirst().describe(index));
        return cuda.getFirst().open(index, threads);
    }

    @Override
    public String toString() {
        return kind.equals("cuda") && index != 0 ? "cuda:" + index : kind;
    }
}
