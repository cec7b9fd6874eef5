package dev.gantry.spi.attention;

import dev.gantry.spi.Api;

import java.util.function.Supplier;

/**
 * Scratch for one sequence during one engine step, shared by every layer's call and cleared before the
 * next step. TidalDecode stores the positions its selection layers chose and reads them in the layers that
 * follow; MagicPIG keeps per-layer flags. State that must outlive a step belongs in the backend, keyed by
 * {@link dev.gantry.spi.SequenceId} and dropped in {@link AttentionBackend#release}.
 *
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public interface StepState {

    /**
     * A typed key. Compare by identity: create each key once, as a constant.
     *
     * @param <T> the value type
     * @param name for debugging only
     */
    record Key<T>(String name) {
    }

    /**
     * The value for {@code key}, or null.
     *
     * @param <T> the value type
     * @param key the key
     * @return the value, or null
     */
    <T> T get(Key<T> key);

    /**
     * Sets the value for {@code key} for the rest of this step.
     *
     * @param <T>   the value type
     * @param key   the key
     * @param value the value
     */
    <T> void put(Key<T> key, T value);

    /**
     * The value for {@code key}, created by {@code creator} on first use in this step.
     *
     * @param <T>     the value type
     * @param key     the key
     * @param creator makes the value when there is none yet
     * @return the value
     */
    default <T> T computeIfAbsent(Key<T> key, Supplier<T> creator) {
        T v = get(key);
        if (v == null) {
            v = creator.get();
            put(key, v);
        }
        return v;
    }
}
