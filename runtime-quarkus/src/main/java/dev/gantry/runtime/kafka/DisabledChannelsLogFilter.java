package dev.gantry.runtime.kafka;

import io.quarkus.logging.LoggingFilter;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * Keeps a REST-only service's log quiet: with {@code gantry.kafka.mode=disabled} every Kafka channel is off by
 * design, so SmallRye's start-up warning that the Kafka consumers have no upstream (SRMSG00207) says nothing an
 * operator should act on. In the Kafka modes the warning passes.
 */
@LoggingFilter(name = "gantry-disabled-channels")
public final class DisabledChannelsLogFilter implements Filter {

    private final boolean disabled;

    public DisabledChannelsLogFilter(@ConfigProperty(name = "gantry.kafka.mode", defaultValue = "disabled") String mode) {
        this.disabled = "disabled".equalsIgnoreCase(mode);
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        return !(disabled && record.getMessage() != null && record.getMessage().contains("SRMSG00207"));
    }
}
