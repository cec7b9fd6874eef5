package dev.gantry.runtime.kafka;

/** The names of the service's messaging channels (each bound to a topic of {@code gantry.kafka.topics.*}). */
final class Channels {

    static final String REQUESTS = "gantry-requests";
    static final String RESPONSES = "gantry-responses";
    static final String PREEMPTION = "gantry-preemption";
    static final String CHECKPOINTS_IN = "gantry-checkpoints-in";
    static final String CHECKPOINTS_OUT = "gantry-checkpoints-out";
    static final String DLQ = "gantry-dlq";
    static final String STATE_IN = "gantry-state-in";
    static final String STATE_OUT = "gantry-state-out";

    private Channels() {
    }
}
