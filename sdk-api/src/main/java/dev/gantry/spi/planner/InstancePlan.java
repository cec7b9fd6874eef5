package dev.gantry.spi.planner;

import dev.gantry.spi.Api;

import java.util.LinkedHashSet;
import java.util.List;

/**
 * One serving instance: a copy of one model on a set of devices, with its own queue and KV cache.
 * Data parallelism is several instances of one model.
 *
 * <p>Stages: in a plain pipeline they are listed in the order a token passes them and their layer ranges
 * tile the model exactly once, so {@code pipelineParallel == stages.size()}. A planner that replicates layer
 * ranges across heterogeneous devices (Helix) lists each device's range as a stage of its own; the stages
 * then hold every layer at least once, requests are routed through any chain of stages whose ranges meet
 * (the scheduler's job), and {@code pipelineParallel} is the longest such chain. Every stage has
 * {@code tensorParallel × sequenceParallel} devices; instances may share devices (MuxServe's colocation),
 * each then taking a {@link #computeShare()} of them and a KV quota of {@link #kvCapacityTokens()}.
 *
 * @param id                unique within the plan, and kept across re-plans for the instance that continues
 *                          (migrations match on it); not blank
 * @param model             the {@link ModelDescription#name()} served; not blank
 * @param tensorParallel    devices per lane of a stage; a stage may split layers over fewer of them
 *                          ({@link StageAssignment#tensorParallel()}); ≥ 1
 * @param pipelineParallel  stages a token passes through; ≥ 1, at most the number of stages
 * @param sequenceParallel  lanes per stage that split each sequence's tokens and KV (LoongServe's elastic
 *                          instances, the most an iteration may use); ≥ 1
 * @param stages            stage {@code i} at position {@code i}; not empty, all layer ranges or all graph nodes
 * @param maxBatchSequences the most sequences one step may run; ≥ 1
 * @param maxBatchedTokens  the most tokens (prefill and decode together) one step may process; ≥ 1
 * @param kvCapacityTokens  tokens of KV cache the instance may hold over all its sequences; ≥ 1
 * @param computeShare      fraction of its devices' compute and bandwidth the instance gets when it shares
 *                          them (MuxServe's SM share); in (0, 1], 1 when it has them alone
 * @since 0.1
 */
@Api(status = Api.Status.STABLE, since = "0.1")
public record InstancePlan(String id, String model, int tensorParallel, int pipelineParallel, int sequenceParallel,
                           List<StageAssignment> stages, int maxBatchSequences, int maxBatchedTokens,
                           long kvCapacityTokens,
                           @Api(status = Api.Status.EXPERIMENTAL, since = "0.1") double computeShare) {

    /**
     * Copies the stages and checks the instance.
     *
     * @throws IllegalArgumentException naming the instance and the figure or stage at fault
     */
    public InstancePlan {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("instance plan: id must not be blank");
        }
        String i = "instance '" + id + "': ";
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(i + "model must not be blank");
        }
        stages = List.copyOf(stages);
        if (tensorParallel < 1 || pipelineParallel < 1 || sequenceParallel < 1) {
            throw new IllegalArgumentException(i + "parallel degrees must be ≥ 1, got tensor " + tensorParallel
                    + ", pipeline " + pipelineParallel + ", sequence " + sequenceParallel);
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException(i + "needs at least one stage");
        }
        if (pipelineParallel > stages.size()) {
            throw new IllegalArgumentException(i + "pipelineParallel " + pipelineParallel + " exceeds its "
                    + stages.size() + " stages");
        }
        boolean graphStages = stages.getFirst().slice() instanceof GraphNodes;
        for (int k = 0; k < stages.size(); k++) {
            StageAssignment s = stages.get(k);
            if (s.index() != k) {
                throw new IllegalArgumentException(i + "stage at position " + k + " has index " + s.index());
            }
            if ((s.slice() instanceof GraphNodes) != graphStages) {
                throw new IllegalArgumentException(i + "mixes layer-range and graph-node stages");
            }
            if (s.deviceIds().size() != tensorParallel * sequenceParallel) {
                throw new IllegalArgumentException(i + "stage " + k + " has " + s.deviceIds().size()
                        + " devices, but tensorParallel × sequenceParallel is " + tensorParallel * sequenceParallel);
            }
            if (tensorParallel % s.tensorParallel() != 0) {
                throw new IllegalArgumentException(i + "stage " + k + " splits layers " + s.tensorParallel()
                        + " ways, which does not divide the instance's tensorParallel " + tensorParallel);
            }
        }
        if (maxBatchSequences < 1 || maxBatchedTokens < 1 || kvCapacityTokens < 1) {
            throw new IllegalArgumentException(i + "batch limits must be ≥ 1, got maxBatchSequences "
                    + maxBatchSequences + ", maxBatchedTokens " + maxBatchedTokens + ", kvCapacityTokens "
                    + kvCapacityTokens);
        }
        if (!(computeShare > 0 && computeShare <= 1)) {
            throw new IllegalArgumentException(i + "computeShare must be in (0, 1], got " + computeShare);
        }
    }

    /**
     * An instance that has its devices to itself ({@code computeShare} 1).
     *
     * @param id                unique within the plan; not blank
     * @param model             the model served; not blank
     * @param tensorParallel    devices per lane of a stage; ≥ 1
     * @param pipelineParallel  stages a token passes through; ≥ 1
     * @param sequenceParallel  lanes per stage; ≥ 1
     * @param stages            the stages, in order; not empty
     * @param maxBatchSequences the most sequences one step may run; ≥ 1
     * @param maxBatchedTokens  the most tokens one step may process; ≥ 1
     * @param kvCapacityTokens  tokens of KV cache the instance may hold; ≥ 1
     */
    public InstancePlan(String id, String model, int tensorParallel, int pipelineParallel, int sequenceParallel,
                        List<StageAssignment> stages, int maxBatchSequences, int maxBatchedTokens,
                        long kvCapacityTokens) {
        this(id, model, tensorParallel, pipelineParallel, sequenceParallel, stages, maxBatchSequences,
                maxBatchedTokens, kvCapacityTokens, 1.0);
    }

    /** {@return the instance's devices, each once, in stage order} */
    public List<String> deviceIds() {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        stages.forEach(s -> ids.addAll(s.deviceIds()));
        return List.copyOf(ids);
    }
}
