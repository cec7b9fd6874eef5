package dev.gantry.spi.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link Migration#positional}: compares two plans position by position, with no device matching. */
final class PositionalMigration {

    /** What a device holds at one position: a tensor shard of one slice of one model. */
    private record Shard(String model, ModelSlice slice, int tensorParallel, int rank) {
    }

    /** A position in a plan. */
    private record Position(String instanceId, int stage, int position) {
    }

    private PositionalMigration() {
    }

    static Migration between(PlanningProblem problem, Plan current, Plan next) {
        next.checkAgainst(problem);
        Map<Shard, List<String>> holders = new HashMap<>();
        Map<Position, String> occupant = new HashMap<>();
        for (InstancePlan i : current.instances()) {
            for (StageAssignment s : i.stages()) {
                for (int p = 0; p < s.deviceIds().size(); p++) {
                    String d = s.deviceIds().get(p);
                    holders.computeIfAbsent(shardAt(i, s, p), k -> new ArrayList<>()).add(d);
                    occupant.put(new Position(i.id(), s.index(), p), d);
                }
            }
        }
        List<MigrationStep> steps = new ArrayList<>();
        long reused = 0;
        for (InstancePlan i : next.instances()) {
            ModelDescription model = problem.model(i.model()).orElseThrow();
            for (StageAssignment s : i.stages()) {
                long shardBytes = model.costOf(s.slice()).parameterBytes() / s.tensorParallel();
                for (int p = 0; p < s.deviceIds().size(); p++) {
                    String d = s.deviceIds().get(p);
                    List<String> had = holders.getOrDefault(shardAt(i, s, p), List.of());
                    if (had.contains(d)) {
                        reused += shardBytes;
                        continue;
                    }
                    Optional<String> previous = Optional.ofNullable(occupant.get(new Position(i.id(), s.index(), p)));
                    // Prefer the device this position is taken from; any survivor holding the shard will do.
                    Optional<String> source = previous.filter(had::contains).filter(problem.cluster()::contains)
                            .or(() -> had.stream().filter(problem.cluster()::contains).findFirst());
                    steps.add(new MigrationStep(i.id(), s.index(), p, s.slice(), d, previous, source, shardBytes, 0));
                }
            }
        }
        return new Migration(steps, reused, seconds(problem.cluster(), steps));
    }

    private static Shard shardAt(InstancePlan instance, StageAssignment stage, int position) {
        return new Shard(instance.model(), stage.slice(), stage.tensorParallel(), position % stage.tensorParallel());
    }

    /** Receiving devices load in parallel, each its steps one after another. */
    private static double seconds(Cluster cluster, List<MigrationStep> steps) {
        Map<String, Double> perDevice = new LinkedHashMap<>();
        for (MigrationStep step : steps) {
            if (step.sourceDevice().isEmpty()) {
                return Double.NaN;
            }
            Optional<Link> link = cluster.link(step.sourceDevice().get(), step.toDevice());
            if (link.isEmpty()) {
                return Double.NaN;
            }
            perDevice.merge(step.toDevice(), link.get().transferSeconds(step.bytes()), Double::sum);
        }
        return perDevice.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
