package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

/**
 * A connection between two devices, full duplex: the bandwidth is available in each direction. Pipeline
 * hops, tensor-parallel all-reduces, migrations and Helix's flow edges run over links.
 *
 * @param from                    one device id; not blank
 * @param to                      the other device id; not blank, not {@code from}
 * @param bandwidthBytesPerSecond bytes per second each way; finite, &gt; 0
 * @param latencySeconds          one-way latency of a message, in seconds; finite, ≥ 0
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Link(String from, String to, double bandwidthBytesPerSecond, double latencySeconds) {

    /**
     * Checks the link.
     *
     * @throws IllegalArgumentException for a blank or repeated end, or a bandwidth or latency out of range
     */
    public Link {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("link: both device ids must be given, got " + from + " – " + to);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("link: " + from + " – " + to + " connects a device to itself");
        }
        if (!(bandwidthBytesPerSecond > 0) || Double.isInfinite(bandwidthBytesPerSecond)) {
            throw new IllegalArgumentException("link " + from + " – " + to
                    + ": bandwidthBytesPerSecond must be finite and > 0, got " + bandwidthBytesPerSecond);
        }
        if (!(latencySeconds >= 0) || Double.isInfinite(latencySeconds)) {
            throw new IllegalArgumentException("link " + from + " – " + to
                    + ": latencySeconds must be finite and ≥ 0, got " + latencySeconds);
        }
    }

    /**
     * Whether this link joins devices {@code a} and {@code b}, in either order.
     *
     * @param a one device id
     * @param b the other
     * @return whether it joins them
     */
    public boolean connects(String a, String b) {
        return (from.equals(a) && to.equals(b)) || (from.equals(b) && to.equals(a));
    }

    /**
     * Seconds to send {@code bytes} over this link: latency plus bytes over bandwidth.
     *
     * @param bytes how much, in bytes
     * @return the seconds
     */
    public double transferSeconds(double bytes) {
        return latencySeconds + bytes / bandwidthBytesPerSecond;
    }
}
