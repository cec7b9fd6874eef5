package dev.gantry.engine.llama;

import dev.gantry.engine.kv.SequenceBlocks;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;

import java.util.Objects;

/**
 * The tokens of one engine step, for every sequence at once: rows (one per token) grouped into segments (one
 * per sequence). A segment is a prefill chunk, a single decode token, or the nodes of a draft tree; its rows
 * write their keys and values into consecutive slots of the sequence, starting at {@code firstSlot}, which
 * the caller has already claimed in the KV cache.
 *
 * <p>Reused from step to step: {@link #clear()} and refill; arrays are sized once for the step limits.
 */
public final class ForwardBatch {

    final int[] tokens;
    final int[] positions;
    final boolean[] wantsLogits;
    final int[] logitRows;
    int rows;
    int logitCount;

    final SequenceId[] sequences;
    final SequenceBlocks[] blocks;
    final AttentionPhase[] phases;
    final AttentionMask[] masks;
    final int[] segmentStart;
    final int[] segmentRows;
    final int[] firstSlot;
    int segments;

    /**
     * @param maxRows     the most tokens a step processes
     * @param maxSegments the most sequences a step runs
     */
    public ForwardBatch(int maxRows, int maxSegments) {
        tokens = new int[maxRows];
        positions = new int[maxRows];
        wantsLogits = new boolean[maxRows];
        logitRows = new int[maxRows];
        sequences = new SequenceId[maxSegments];
        blocks = new SequenceBlocks[maxSegments];
        phases = new AttentionPhase[maxSegments];
        masks = new AttentionMask[maxSegments];
        segmentStart = new int[maxSegments];
        segmentRows = new int[maxSegments];
        firstSlot = new int[maxSegments];
    }

    /** Empties the batch. */
    public void clear() {
        rows = 0;
        logitCount = 0;
        segments = 0;
    }

    /** The most rows this batch holds. */
    public int capacity() {
        return tokens.length;
    }

    /**
     * Starts a sequence's segment; its rows follow with {@link #addRow}.
     *
     * @param firstSlot the KV slot the segment's first row writes
     * @param mask      which slots each row attends to (causal for chunks and decodes, the tree for drafts)
     * @return the segment index
     */
    public int beginSegment(SequenceId sequence, SequenceBlocks sequenceBlocks, AttentionPhase phase,
                            AttentionMask mask, int firstSlot) {
        if (segments == sequences.length) {
            throw new IllegalStateException("a step runs at most " + sequences.length + " sequences");
        }
        int s = segments++;
        sequences[s] = sequence;
        blocks[s] = sequenceBlocks;
        phases[s] = phase;
        masks[s] = mask;
        segmentStart[s] = rows;
        segmentRows[s] = 0;
        this.firstSlot[s] = firstSlot;
        return s;
    }

    /**
     * Adds a token to the current segment.
     *
     * @param wantLogits whether the step must produce logits for this row
     * @return the row's index among the rows that produce logits, or -1
     */
    public int addRow(int token, int position, boolean wantLogits) {
        if (rows == tokens.length) {
            throw new IllegalStateException("a step processes at most " + tokens.length + " tokens");
        }
        tokens[rows] = token;
        positions[rows] = position;
        wantsLogits[rows] = wantLogits;
        segmentRows[segments - 1]++;
        int logitIndex = -1;
        if (wantLogits) {
            logitIndex = logitCount;
            logitRows[logitCount++] = rows;
        }
        rows++;
        return logitIndex;
    }

    /** Tokens in the batch. */
    public int rows() {
        return rows;
    }

    /** Rows that produce logits. */
    public int logitCount() {
        return logitCount;
    }

    /** Sequences in the batch. */
    public int segments() {
        return segments;
    }

    // Read-only views for forward passes outside this package (a device's resident forward).

    /** The token of row {@code r}. */
    public int token(int r) {
        return tokens[Objects.checkIndex(r, rows)];
    }

    /** The position (for RoPE) of row {@code r}. */
    public int position(int r) {
        return positions[Objects.checkIndex(r, rows)];
    }

    /** Whether row {@code r} produces logits. */
    public boolean wantsLogits(int r) {
        return wantsLogits[Objects.checkIndex(r, rows)];
    }

    /** The row whose logits are logit row {@code j}, {@code j < logitCount()}. */
    public int logitRow(int j) {
        return logitRows[Objects.checkIndex(j, logitCount)];
    }

    /** The sequence of segment {@code s}. */
    public SequenceId sequence(int s) {
        return sequences[Objects.checkIndex(s, segments)];
    }

    /** The block table of segment {@code s}'s sequence, its rows' slots already claimed. */
    public SequenceBlocks blocks(int s) {
        return blocks[Objects.checkIndex(s, segments)];
    }

    /** What segment {@code s} is: a prefill chunk, a decode token or a draft tree to verify. */
    public AttentionPhase phase(int s) {
        return phases[Objects.checkIndex(s, segments)];
    }

    /** Which slots each row of segment {@code s} attends to. */
    public AttentionMask mask(int s) {
        return masks[Objects.checkIndex(s, segments)];
    }

    /** The parent node per row of segment {@code s} when it is a draft tree, or null when it is causal. */
    public int[] treeParents(int s) {
        return mask(s) instanceof AttentionMask.Tree tree ? tree.parents() : null;
    }

    /** The first row of segment {@code s}; its rows are consecutive. */
    public int segmentStart(int s) {
        return segmentStart[Objects.checkIndex(s, segments)];
    }

    /** Rows in segment {@code s}. */
    public int segmentRows(int s) {
        return segmentRows[Objects.checkIndex(s, segments)];
    }

    /** The KV slot the first row of segment {@code s} writes; row {@code i} writes slot {@code firstSlot + i}. */
    public int firstSlot(int s) {
        return firstSlot[Objects.checkIndex(s, segments)];
    }
}
