package dev.gantry.engine.kv;

/**
 * Cached blocks that no sequence holds, least recently released first: the order in which they are given up
 * when free blocks run out. An intrusive doubly linked list over block ids (two int arrays), so adding,
 * removing a block that a prefix hit revives, and taking the oldest are O(1) and allocate nothing.
 */
final class EvictableBlockList {

    private static final int NONE = -1;

    private final int[] previous;
    private final int[] next;
    private final boolean[] listed;
    private int head = NONE;
    private int tail = NONE;
    private int size;

    EvictableBlockList(int totalBlocks) {
        this.previous = new int[totalBlocks];
        this.next = new int[totalBlocks];
        this.listed = new boolean[totalBlocks];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int block) {
        return listed[block];
    }

    /** Appends {@code block} as the most recently released. */
    void addLast(int block) {
        previous[block] = tail;
        next[block] = NONE;
        if (tail == NONE) {
            head = block;
        } else {
            next[tail] = block;
        }
        tail = block;
        listed[block] = true;
        size++;
    }

    /** Takes {@code block} out of the list; it must be in it. */
    void remove(int block) {
        int p = previous[block];
        int n = next[block];
        if (p == NONE) {
            head = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail = p;
        } else {
            previous[n] = p;
        }
        listed[block] = false;
        size--;
    }

    /** The least recently released block, removed. The list must not be empty. */
    int removeFirst() {
        int block = head;
        remove(block);
        return block;
    }

    /** The blocks, oldest first (tests and diagnostics). */
    int[] toArray() {
        int[] out = new int[size];
        int i = 0;
        for (int b = head; b != NONE; b = next[b]) {
            out[i++] = b;
        }
        return out;
    }
}
