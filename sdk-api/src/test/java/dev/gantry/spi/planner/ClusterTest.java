package dev.gantry.spi.planner;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.gantry.spi.planner.PlannerFixtures.gpu;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClusterTest {

    private static String failure(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void devicesAreValidatedWithTheirId() {
        assertTrue(failure(() -> DeviceSpec.onDemand("g", "L4", 0, 1, 1, 0))
                .contains("device 'g': memoryBytes must be ≥ 1, got 0"));
        assertTrue(failure(() -> DeviceSpec.onDemand("g", "L4", 1, 0, 1, 0)).contains("flopsPerSecond"));
        assertTrue(failure(() -> DeviceSpec.onDemand("g", "L4", 1, 1, Double.POSITIVE_INFINITY, 0))
                .contains("memoryBandwidthBytesPerSecond"));
        assertTrue(failure(() -> DeviceSpec.onDemand("g", "L4", 1, 1, 1, -1)).contains("pricePerHour"));
        assertTrue(failure(() -> DeviceSpec.onDemand("", "L4", 1, 1, 1, 0)).contains("id must not be blank"));
        assertTrue(failure(() -> gpu("g").withHost(" ")).contains("host must not be blank"));
        assertEquals(Optional.of("node-1"), gpu("g").withHost("node-1").host());
    }

    @Test
    void availabilityKeepsOnDemandUninterrupted() {
        assertTrue(failure(() -> new Availability(Availability.Kind.ON_DEMAND, 0.5, 0))
                .contains("on-demand devices are not interrupted"));
        assertTrue(failure(() -> Availability.spot(-1, 30)).contains("interruptionsPerHour"));
        Availability spot = Availability.spot(2, 30);
        assertEquals(Math.exp(-1), spot.survivalProbability(1800), 1e-12);
        assertEquals(1, Availability.ON_DEMAND.survivalProbability(1e9));
    }

    @Test
    void linksAreValidated() {
        assertTrue(failure(() -> new Link("a", "a", 1, 0)).contains("connects a device to itself"));
        assertTrue(failure(() -> new Link("a", "b", 0, 0)).contains("bandwidthBytesPerSecond"));
        assertTrue(failure(() -> new Link("a", "b", 1, -1)).contains("latencySeconds"));
        assertEquals(1.5, new Link("a", "b", 100, 0.5).transferSeconds(100));
    }

    @Test
    void clusterRefusesDuplicatesAndDanglingLinks() {
        assertTrue(failure(() -> Cluster.of(gpu("a"), gpu("a"))).contains("duplicate device id 'a'"));
        assertTrue(failure(() -> new Cluster(List.of(gpu("a")), List.of(new Link("a", "b", 1, 0))))
                .contains("names unknown device 'b'"));
        assertTrue(failure(() -> new Cluster(List.of(gpu("a"), gpu("b")),
                List.of(new Link("a", "b", 1, 0), new Link("b", "a", 2, 0)))).contains("more than one link"));
    }

    @Test
    void looksUpLinksEitherWayAndDropsDevicesWithTheirLinks() {
        Cluster c = new Cluster(List.of(gpu("a"), gpu("b"), gpu("c")),
                List.of(new Link("a", "b", 1, 0), new Link("b", "c", 1, 0)));
        assertTrue(c.link("b", "a").isPresent());
        assertFalse(c.link("a", "c").isPresent());
        Cluster without = c.withoutDevices(List.of("b", "nonexistent"));
        assertEquals(List.of("a", "c"), without.devices().stream().map(DeviceSpec::id).toList());
        assertTrue(without.links().isEmpty());
        assertFalse(without.contains("b"));
    }

    @Test
    void listsAreCopied() {
        List<DeviceSpec> devices = new ArrayList<>(List.of(gpu("a")));
        Cluster c = new Cluster(devices, List.of());
        devices.add(gpu("b"));
        assertEquals(1, c.devices().size());
        assertThrows(UnsupportedOperationException.class, () -> c.devices().add(gpu("c")));
    }
}
