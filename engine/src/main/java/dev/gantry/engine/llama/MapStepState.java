package dev.gantry.engine.llama;

import dev.gantry.spi.attention.StepState;

import java.util.IdentityHashMap;
import java.util.Map;

/** A sequence's per-step attention scratch: a map keyed by identity, cleared at the start of every step. */
public final class MapStepState implements StepState {

    private final Map<Key<?>, Object> values = new IdentityHashMap<>();

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Key<T> key) {
        return (T) values.get(key);
    }

    @Override
    public <T> void put(Key<T> key, T value) {
        values.put(key, value);
    }

    /** Forgets everything (start of a step). */
    public void clear() {
        values.clear();
    }
}
