package dev.gantry.plugins.baseline.planner;

import dev.gantry.spi.planner.DeviceSpec;
import dev.gantry.spi.planner.InfeasiblePlanException;
import dev.gantry.spi.planner.InstancePlan;
import dev.gantry.spi.planner.ModelDescription;
import dev.gantry.spi.planner.ModelTraffic;
import dev.gantry.spi.planner.ParallelPlanner;
import dev.gantry.spi.planner.Plan;
import dev.gantry.spi.planner.PlanEvaluator;
import dev.gantry.spi.planner.PlanObjective;
import dev.gantry.spi.planner.PlanningProblem;
import dev.gantry.spi.planner.StageAssignment;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The reference planner: the whole model on one device, as one instance with one stage and all degrees 1 —
 * what a single engine process does. Every other planner is compared with it.
 *
 * <p>Device choice: among the devices that hold the weights plus the KV cache of one longest sequence
 * ({@code input.max + output.max} tokens) and cost no more than the budget, the one that leaves the most
 * memory for KV (the largest batches), ties going to the cheaper device and then to the cluster's order.
 * Under {@link PlanObjective#MIN_COST} the cheapest such device wins instead, ties going to more memory.
 * Other objectives do not change the choice: with one instance there is nothing else to trade.
 *
 * <p>Batch limits follow from the memory left after the weights:
 * <pre>
 *   kvCapacityTokens  = ⌊(memory − parameterBytes) / kvBytesPerToken⌋
 *   maxBatchSequences = max(1, ⌊kvCapacityTokens / ⌈mean input + mean output⌉⌋)   mean-length sequences that fit
 *   maxBatchedTokens  = min(kvCapacityTokens, max(maxBatchSequences, input.max))  a whole longest prompt, or
 *                                                                                 one token per sequence
 * </pre>
 * (limits above {@link Integer#MAX_VALUE} are clamped). The instance's id is the model's name, so a re-plan
 * that moves it to another device migrates it rather than starting a new one. Re-planning is the SPI's
 * default: plan again on what is left, and move by position.
 *
 * <p>Stateless; safe to call from any thread.
 */
public final class SingleInstancePlanner implements ParallelPlanner {

    /** The name operators select it by. */
    public static final String NAME = "single-instance";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Plan plan(PlanningProblem problem, PlanEvaluator evaluator) {
        if (problem.models().size() != 1) {
            throw new InfeasiblePlanException("the " + NAME + " planner places one model; the problem has "
                    + problem.models().size() + ": " + problem.models().stream().map(ModelDescription::name)
                    .collect(Collectors.joining(", ")));
        }
        ModelDescription model = problem.models().getFirst();
        ModelTraffic traffic = problem.trafficOf(model.name());
        DeviceSpec device = chooseDevice(problem, model, traffic);

        long kvCapacity = model.kvBytesPerToken() == 0 ? Integer.MAX_VALUE
                : (device.memoryBytes() - model.parameterBytes()) / model.kvBytesPerToken();
        long perSequence = (long) Math.ceil(traffic.inputTokens().mean() + traffic.outputTokens().mean());
        long maxSequences = Math.max(1, kvCapacity / perSequence);
        long maxTokens = Math.min(kvCapacity, Math.max(maxSequences, traffic.inputTokens().max()));
        InstancePlan instance = new InstancePlan(model.name(), model.name(), 1, 1, 1,
                List.of(StageAssignment.ofLayers(0, List.of(device.id()), 0, model.layers())),
                clampToInt(maxSequences), clampToInt(maxTokens), kvCapacity);
        Plan plan = Plan.of(instance);
        return plan.withPrediction(evaluator.evaluate(problem, plan));
    }

    private static DeviceSpec chooseDevice(PlanningProblem problem, ModelDescription model, ModelTraffic traffic) {
        List<DeviceSpec> devices = problem.cluster().devices();
        if (devices.isEmpty()) {
            throw new InfeasiblePlanException("cannot place model '" + model.name() + "': the cluster has no devices");
        }
        long longest = (long) traffic.inputTokens().max() + traffic.outputTokens().max();
        long needed = model.parameterBytes() + longest * model.kvBytesPerToken();
        List<DeviceSpec> fitting = devices.stream().filter(d -> d.memoryBytes() >= needed).toList();
        if (fitting.isEmpty()) {
            DeviceSpec largest = devices.stream().max(Comparator.comparingLong(DeviceSpec::memoryBytes)).orElseThrow();
            throw new InfeasiblePlanException(String.format(Locale.ROOT,
                    "no single device holds model '%s': it needs %s of weights plus %s of KV cache for one "
                            + "%d-token sequence, %s in all; the largest device, '%s' (%s), has %s",
                    model.name(), DeviceMemoryCheck.gib(model.parameterBytes()),
                    DeviceMemoryCheck.gib((double) longest * model.kvBytesPerToken()), longest,
                    DeviceMemoryCheck.gib(needed), largest.id(), largest.kind(),
                    DeviceMemoryCheck.gib(largest.memoryBytes())));
        }
        List<DeviceSpec> affordable = fitting.stream().filter(d -> d.pricePerHour() <= problem.maxCostPerHour())
                .toList();
        if (affordable.isEmpty()) {
            DeviceSpec cheapest = fitting.stream().min(Comparator.comparingDouble(DeviceSpec::pricePerHour))
                    .orElseThrow();
            throw new InfeasiblePlanException(String.format(Locale.ROOT,
                    "no device that holds model '%s' fits the budget of %.4f per hour; the cheapest, '%s', costs %.4f",
                    model.name(), problem.maxCostPerHour(), cheapest.id(), cheapest.pricePerHour()));
        }
        Comparator<DeviceSpec> moreMemory = Comparator.comparingLong(DeviceSpec::memoryBytes).reversed();
        Comparator<DeviceSpec> cheaper = Comparator.comparingDouble(DeviceSpec::pricePerHour);
        Comparator<DeviceSpec> order = problem.objective() == PlanObjective.MIN_COST
                ? cheaper.thenComparing(moreMemory) : moreMemory.thenComparing(cheaper);
        // Stream.min keeps the first of equal elements, so remaining ties go to the cluster's order.
        return affordable.stream().min(order).orElseThrow();
    }

    private static int clampToInt(long value) {
        return (int) Math.min(Integer.MAX_VALUE, value);
    }
}
