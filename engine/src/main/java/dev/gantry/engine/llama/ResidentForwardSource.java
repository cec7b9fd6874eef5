package dev.gantry.engine.llama;

import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.spi.attention.AttentionBackend;

import java.util.Optional;

/**
 * A capability a {@link dev.gantry.engine.compute.Device} may have: running the whole forward pass resident —
 * weights, activations and KV in the device's memory, only token ids, positions and block tables going over per
 * step — instead of the engine's {@link ForwardPass}, which calls the device once per operation on host arrays.
 * The engine asks once, at start-up, and uses {@link ForwardPass} on the same device when the answer is empty.
 *
 * <p>A resident forward keeps its KV under the block ids of the engine's {@link PagedKvCache} (which still
 * decides every allocation, share, copy and swap) and follows the cache's own changes to block contents through
 * {@link dev.gantry.engine.kv.PagedKvCache#mirrorTo}.
 */
public interface ResidentForwardSource {

    /**
     * A resident forward pass for {@code model}, or empty when this device cannot run one for this set-up — an
     * attention backend or KV codec it does not implement on the device, a weight type or shape its kernels do
     * not take — in which case the implementation logs why.
     *
     * @param attention   the configured attention backend (a resident forward replaces its calls)
     * @param cache       the engine's KV cache, whose block ids and codec the forward must follow
     * @param maxRows     the most tokens one step processes
     * @param maxSegments the most sequences one step runs
     */
    Optional<LlamaForward> residentForward(LlamaModel model, AttentionBackend attention, PagedKvCache cache,
                                           int maxRows, int maxSegments);
}
