package dev.gantry.spi;

/**
 * Identifies one sequence (one generation stream of one request) for as long as the engine holds it.
 * Plugins key their per-sequence state by it. Ids are unique within one engine and never reused while
 * any plugin may still hold state for them (state is released through the {@code release} callbacks).
 *
 * @param value the engine-assigned number
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record SequenceId(long value) {

    @Override
    public String toString() {
        return "seq-" + value;
    }
}
