package dev.gantry.engine.loop;

import java.util.Arrays;

/** A growable list of token ids without boxing. */
final class TokenBuffer {

    private int[] ids;
    private int size;

    TokenBuffer(int capacity) {
        ids = new int[Math.max(4, capacity)];
    }

    void add(int token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = token;
    }

    int get(int i) {
        return ids[i];
    }

    int size() {
        return size;
    }

    int[] toArray() {
        return Arrays.copyOf(ids, size);
    }
}
