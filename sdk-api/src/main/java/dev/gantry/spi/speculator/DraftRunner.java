package dev.gantry.spi.speculator;

import dev.gantry.spi.Api;

/**
 * A small draft model the engine runs on a speculator's behalf, for one sequence, with its own paged KV
 * (SpecExec, Sequoia, layer-skip self-drafting). The draft model is named in the speculator's settings and
 * loaded by the engine. The runner's committed context follows the target's: after each verification the
 * engine keeps exactly the accepted path's draft KV, as for the target.
 *
 * @since 0.1
 */
@Api(status = Api.Status.EXPERIMENTAL, since = "0.1")
public interface DraftRunner {

    /** {@return vocabulary size of the draft model (equal to the target's)} */
    int vocabularySize();

    /**
     * Runs the draft model over a tree of tokens appended to the committed context, with a tree attention
     * mask, and writes the logits of every node into {@code logits[node × vocabularySize ..]}.
     *
     * @param tokens  token per node; node 0 is the pending token
     * @param parents parent per node, {@code -1} for node 0
     * @param logits  output, at least {@code tokens.length × vocabularySize} floats
     */
    void forward(int[] tokens, int[] parents, float[] logits);

    /**
     * Drops draft KV of nodes {@code forward} computed that are not on {@code acceptedNodes}.
     *
     * @param acceptedNodes the accepted path as node indices, root first
     */
    void commit(int[] acceptedNodes);
}
