package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Objects;
import java.util.Optional;

/**
 * One accelerator (or CPU socket) a plan can use.
 *
 * @param id                             unique within the {@link Cluster}; what plans name; not blank
 * @param kind                           what the device is ({@code "A100-80G"}, {@code "L4"}, {@code "cpu"}),
 *                                       for reports and for planners that group devices by type (Helix); not
 *                                       blank
 * @param memoryBytes                    memory for weights, KV cache and activations, in bytes; ≥ 1
 * @param flopsPerSecond                 sustained floating-point operations per second at the serving
 *                                       precision; finite, &gt; 0
 * @param memoryBandwidthBytesPerSecond  sustained memory bandwidth in bytes per second; finite, &gt; 0
 * @param pricePerHour                   what the device costs per hour, in the operator's currency;
 *                                       finite, ≥ 0
 * @param availability                   on-demand or spot, with the interruption rate; not null
 * @param host                           the machine (cloud instance) the device sits in, if known: devices on
 *                                       one host share its fast links and are preempted together (a
 *                                       {@link dev.gantry.spi.ClusterEvent.PreemptionNotice} names the host)
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record DeviceSpec(String id, String kind, long memoryBytes, double flopsPerSecond,
                         double memoryBandwidthBytesPerSecond, double pricePerHour, Availability availability,
                         Optional<String> host) {

    /**
     * Checks the figures.
     *
     * @throws IllegalArgumentException when an id or kind is blank or a figure is out of range
     */
    public DeviceSpec {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("device: id must not be blank");
        }
        String d = "device '" + id + "': ";
        if (kind == null || kind.isBlank()) {
            throw new IllegalArgumentException(d + "kind must not be blank");
        }
        if (memoryBytes < 1) {
            throw new IllegalArgumentException(d + "memoryBytes must be ≥ 1, got " + memoryBytes);
        }
        if (!(flopsPerSecond > 0) || Double.isInfinite(flopsPerSecond)) {
            throw new IllegalArgumentException(d + "flopsPerSecond must be finite and > 0, got " + flopsPerSecond);
        }
        if (!(memoryBandwidthBytesPerSecond > 0) || Double.isInfinite(memoryBandwidthBytesPerSecond)) {
            throw new IllegalArgumentException(d + "memoryBandwidthBytesPerSecond must be finite and > 0, got "
                    + memoryBandwidthBytesPerSecond);
        }
        if (!(pricePerHour >= 0) || Double.isInfinite(pricePerHour)) {
            throw new IllegalArgumentException(d + "pricePerHour must be finite and ≥ 0, got " + pricePerHour);
        }
        Objects.requireNonNull(availability, d + "availability");
        Objects.requireNonNull(host, d + "host (use Optional.empty())");
        if (host.isPresent() && host.get().isBlank()) {
            throw new IllegalArgumentException(d + "host must not be blank when given");
        }
    }

    /**
     * An on-demand device with no host.
     *
     * @param id                            unique within the cluster; not blank
     * @param kind                          what the device is; not blank
     * @param memoryBytes                   memory, in bytes; ≥ 1
     * @param flopsPerSecond                sustained floating-point operations per second; > 0
     * @param memoryBandwidthBytesPerSecond sustained memory bandwidth, bytes per second; > 0
     * @param pricePerHour                  cost per hour; ≥ 0
     * @return the device
     */
    public static DeviceSpec onDemand(String id, String kind, long memoryBytes, double flopsPerSecond,
                                      double memoryBandwidthBytesPerSecond, double pricePerHour) {
        return new DeviceSpec(id, kind, memoryBytes, flopsPerSecond, memoryBandwidthBytesPerSecond, pricePerHour,
                Availability.ON_DEMAND, Optional.empty());
    }

    /**
     * This device, on host {@code host}.
     *
     * @param host the machine the device sits in; not blank
     * @return a new device description
     */
    public DeviceSpec withHost(String host) {
        return new DeviceSpec(id, kind, memoryBytes, flopsPerSecond, memoryBandwidthBytesPerSecond, pricePerHour,
                availability, Optional.of(host));
    }

    /**
     * This device, bought as {@code availability} says.
     *
     * @param availability on-demand or spot; not null
     * @return a new device description
     */
    public DeviceSpec withAvailability(Availability availability) {
        return new DeviceSpec(id, kind, memoryBytes, flopsPerSecond, memoryBandwidthBytesPerSecond, pricePerHour,
                availability, host);
    }
}
