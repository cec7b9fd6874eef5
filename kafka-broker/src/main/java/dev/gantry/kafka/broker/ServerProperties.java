package dev.gantry.kafka.broker;

import java.nio.file.Path;

/** The broker's {@code server.properties}: one node in KRaft combined mode, every replication factor 1. */
final class ServerProperties {

    private ServerProperties() {
    }

    /**
     * The configuration for a broker on 127.0.0.1.
     *
     * @param port           the client listener's port
     * @param controllerPort the controller listener's port
     * @param logDir         where partitions and the metadata log live
     */
    static String render(int port, int controllerPort, Path logDir) {
        return """
                process.roles=broker,controller
                node.id=1
                controller.quorum.voters=1@127.0.0.1:%2$d
                listeners=PLAINTEXT://127.0.0.1:%1$d,CONTROLLER://127.0.0.1:%2$d
                advertised.listeners=PLAINTEXT://127.0.0.1:%1$d
                controller.listener.names=CONTROLLER
                inter.broker.listener.name=PLAINTEXT
                listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
                log.dirs=%3$s
                offsets.topic.replication.factor=1
                offsets.topic.num.partitions=4
                transaction.state.log.replication.factor=1
                transaction.state.log.min.isr=1
                share.coordinator.state.topic.replication.factor=1
                share.coordinator.state.topic.min.isr=1
                # A lone broker: no reason to wait for more group members before the first assignment.
                group.initial.rebalance.delay.ms=0
                num.partitions=4
                """.formatted(port, controllerPort, logDir.toAbsolutePath());
    }
}
