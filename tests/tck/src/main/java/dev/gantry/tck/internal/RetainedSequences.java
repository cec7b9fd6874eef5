package dev.gantry.tck.internal;

import dev.gantry.spi.SequenceId;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.security.CodeSource;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which {@link SequenceId}s a plugin instance still holds: the ids reachable from it through its own fields
 * (fields of classes from the plugin's jar or class folder), the JDK's collections, maps, arrays,
 * {@code Optional}s and atomic references. The SPI asks plugins to key per-sequence state by
 * {@code SequenceId} and to drop it in {@code release}; a released id still reachable from the instance is
 * state that was not released.
 *
 * <p>The walk does not enter objects of other libraries or the engine, and cannot see inside
 * {@code ThreadLocal}s or state keyed by a sequence's number instead of its id.
 */
public final class RetainedSequences {

    private static final int MAX_OBJECTS = 2_000_000;

    private RetainedSequences() {
    }

    /** The sequence ids reachable from {@code root}. */
    public static Set<SequenceId> reachableFrom(Object root) {
        URL home = locationOf(root.getClass());
        Set<SequenceId> found = new LinkedHashSet<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        while (!todo.isEmpty() && seen.size() < MAX_OBJECTS) {
            Object o = todo.pop();
            if (o == null || !seen.add(o)) {
                continue;
            }
            switch (o) {
                case SequenceId id -> found.add(id);
                case Object[] array -> {
                    for (Object e : array) {
                        todo.push(e);
                    }
                }
                case Map<?, ?> map -> snapshot(map.entrySet()).forEach(e -> {
                    Map.Entry<?, ?> entry = (Map.Entry<?, ?>) e;
                    todo.push(entry.getKey());
                    todo.push(entry.getValue());
                });
                case Collection<?> c -> snapshot(c).forEach(todo::push);
                case Optional<?> opt -> opt.ifPresent(todo::push);
                case AtomicReference<?> ref -> todo.push(ref.get());
                default -> {
                    if (Objects.equals(locationOf(o.getClass()), home)) {
                        pushFields(o, todo);
                    }
                }
            }
        }
        return found;
    }

    private static Collection<?> snapshot(Collection<?> c) {
        try {
            return java.util.List.copyOf(c.stream().filter(Objects::nonNull).toList());
        } catch (RuntimeException e) {
            return java.util.List.of(); // a collection that cannot be read now (concurrently modified)
        }
    }

    private static void pushFields(Object o, Deque<Object> todo) {
        URL home = locationOf(o.getClass());
        for (Class<?> c = o.getClass(); c != null && Objects.equals(locationOf(c), home); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    todo.push(f.get(o));
                } catch (RuntimeException | IllegalAccessException e) {
                    // a field the kit may not read (a module that does not open it): skipped
                }
            }
        }
    }

    private static URL locationOf(Class<?> c) {
        CodeSource source = c.getProtectionDomain() == null ? null : c.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }
}
