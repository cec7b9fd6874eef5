package dev.gantry.runtime.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** This replica's name in preemption events: {@code gantry.instance-id}, or the host name when unset. */
public final class InstanceId {

    private InstanceId() {
    }

    /** The configured id, or the host name. */
    public static String of(String configured) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "gantry";
        }
    }
}
