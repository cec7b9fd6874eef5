package dev.gantry.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Something that changed the capacity an engine runs on: a spot interruption notice, a restored instance, or
 * devices that came or went. The runtime turns cloud notices and Kafka preemption events into these and
 * hands them to the active {@code Scheduler} and {@code ParallelPlanner}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public sealed interface ClusterEvent {

    /** {@return when the event happened (or, for a notice, when it was announced)} */
    Instant at();

    /**
     * An instance will be taken away after a grace period (SpotServe's setting). The instance stops
     * admitting work, and what it cannot finish within the grace period is checkpointed and migrated.
     *
     * @param instance the instance id ({@code gantry.instance-id} of the replica concerned)
     * @param grace    how long the instance may still run
     * @param at       when the notice was given
     */
    record PreemptionNotice(String instance, Duration grace, Instant at) implements ClusterEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException when any is null
         */
        public PreemptionNotice {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * A previously noticed instance is available again (the interruption was cancelled or capacity returned).
     *
     * @param instance the instance id
     * @param at       when it became available
     */
    record InstanceRestored(String instance, Instant at) implements ClusterEvent {
        /**
         * Checks the components.
         *
         * @throws NullPointerException when any is null
         */
        public InstanceRestored {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * The set of devices changed (planners re-plan on it).
     *
     * @param lost  ids of devices no longer available
     * @param added ids of devices that became available
     * @param at    when the change took effect
     */
    record DevicesChanged(List<String> lost, List<String> added, Instant at) implements ClusterEvent {
        /**
         * Copies the lists.
         *
         * @throws NullPointerException when a list or {@code at} is null
         */
        public DevicesChanged {
            lost = List.copyOf(lost);
            added = List.copyOf(added);
            Objects.requireNonNull(at, "at");
        }
    }
}
