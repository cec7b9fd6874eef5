package dev.gantry.engine.kv;

import java.util.Arrays;

/**
 * Blocks holding nothing worth keeping, as a stack of ints: allocation and release cost no boxing and no
 * allocation, and the most recently released block (likeliest still in the CPU's caches) is reused first.
 */
final class FreeBlockStack {

    private final int[] blocks;
    private int size;

    /** A stack with room for {@code capacity} blocks, holding {@code 0 .. initial-1} (0 on top). */
    FreeBlockStack(int capacity, int initial) {
        this.blocks = new int[capacity];
        for (int b = initial - 1; b >= 0; b--) {
            blocks[size++] = b;
        }
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void push(int block) {
        blocks[size++] = block;
    }

    /** The top block, removed. The stack must not be empty. */
    int pop() {
        return blocks[--size];
    }

    /** The blocks from bottom to top (tests and diagnostics). */
    int[] toArray() {
        return Arrays.copyOf(blocks, size);
    }
}
