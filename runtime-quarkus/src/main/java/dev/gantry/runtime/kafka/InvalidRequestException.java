package dev.gantry.runtime.kafka;

/** A message that cannot be served; its message is the {@code gantry-dlq-reason} of the dead letter. */
final class InvalidRequestException extends RuntimeException {

    InvalidRequestException(String reason) {
        super(reason, null, false, false);
    }
}
