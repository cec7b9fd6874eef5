package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The devices a plan may use and the links between them. Devices with no link between them cannot exchange
 * data directly; a planner must not put them in one stage or in adjacent stages.
 *
 * <p>The runtime builds one from configuration and rebuilds it when devices come or go; on a
 * {@link dev.gantry.spi.ClusterEvent} planners receive the cluster as it is after the event.
 *
 * @param devices the devices, in the operator's order (planners break ties by it); ids unique; may be empty
 *                after every device was lost
 * @param links   links between listed devices, at most one per pair
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record Cluster(List<DeviceSpec> devices, List<Link> links) {

    /**
     * Copies the lists and checks them.
     *
     * @throws IllegalArgumentException for a duplicate device id, a link to an unknown device or a second link
     *                                   between one pair
     */
    public Cluster {
        devices = List.copyOf(devices);
        links = List.copyOf(links);
        Set<String> ids = new HashSet<>();
        for (DeviceSpec d : devices) {
            if (!ids.add(d.id())) {
                throw new IllegalArgumentException("cluster: duplicate device id '" + d.id() + "'");
            }
        }
        for (int i = 0; i < links.size(); i++) {
            Link l = links.get(i);
            for (String end : List.of(l.from(), l.to())) {
                if (!ids.contains(end)) {
                    throw new IllegalArgumentException("cluster: link " + l.from() + " – " + l.to()
                            + " names unknown device '" + end + "'");
                }
            }
            for (int j = 0; j < i; j++) {
                if (links.get(j).connects(l.from(), l.to())) {
                    throw new IllegalArgumentException("cluster: more than one link between " + l.from() + " and "
                            + l.to());
                }
            }
        }
    }

    /**
     * A cluster of these devices with no links (single-device plans need none).
     *
     * @param devices the devices
     * @return the cluster
     */
    public static Cluster of(DeviceSpec... devices) {
        return new Cluster(List.of(devices), List.of());
    }

    /**
     * The device with this id, if it is in the cluster.
     *
     * @param id the device id
     * @return the device, or empty
     */
    public Optional<DeviceSpec> device(String id) {
        return devices.stream().filter(d -> d.id().equals(id)).findFirst();
    }

    /**
     * Whether a device with this id is in the cluster.
     *
     * @param id the device id
     * @return whether it is in the cluster
     */
    public boolean contains(String id) {
        return device(id).isPresent();
    }

    /**
     * The link between devices {@code a} and {@code b}, in either order, if there is one.
     *
     * @param a one device id
     * @param b the other
     * @return the link, or empty
     */
    public Optional<Link> link(String a, String b) {
        return links.stream().filter(l -> l.connects(a, b)).findFirst();
    }

    /**
     * This cluster without the given devices and their links (ids not in the cluster are ignored).
     *
     * @param ids the devices to drop
     * @return a new cluster; this one is unchanged
     */
    public Cluster withoutDevices(Collection<String> ids) {
        Set<String> gone = Set.copyOf(ids);
        return new Cluster(devices.stream().filter(d -> !gone.contains(d.id())).toList(),
                links.stream().filter(l -> !gone.contains(l.from()) && !gone.contains(l.to())).toList());
    }
}
