package com.example.gantry.priority;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.KvBudget;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequencePhase;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepPlan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Highest priority first, with aging so that no request waits forever.
 *
 * <p>A request's <em>effective</em> priority is its priority plus one for every {@code agingSteps} steps it has
 * spent waiting (or swapped out). Each step every sequence the engine holds — running, swapped or waiting — is
 * ranked by effective priority, then by arrival, and served in that order under the step's token and sequence
 * limits: a decoding sequence gets one token, one in prefill a chunk of what is left of the budget. When a
 * sequence needs more KV blocks than are free, running sequences ranked below it that have not been given work
 * this step are preempted, lowest first, until it fits — a running sequence always may (it is growing); a
 * waiting or swapped one only when {@code preempt-for-priority} is on. A sequence that still does not fit is
 * passed over this step; a lower-ranked one that fits runs instead.
 */
public final class PriorityScheduler implements Scheduler {

    private final int agingSteps;
    private final PreemptionMode preemptionMode;
    private final boolean preemptForPriority;
    /** Steps each sequence has spent waiting or swapped out; dropped when the engine says it left. */
    private final Map<SequenceId, Integer> waited = new HashMap<>();

    /**
     * @param agingSteps         waiting steps per extra priority level (at least 1)
     * @param preemptionMode     how victims give up their blocks
     * @param preemptForPriority whether waiting and swapped sequences may preempt lower-ranked running ones
     */
    public PriorityScheduler(int agingSteps, PreemptionMode preemptionMode, boolean preemptForPriority) {
        if (agingSteps < 1) {
            throw new IllegalArgumentException("agingSteps must be at least 1, was " + agingSteps);
        }
        this.agingSteps = agingSteps;
        this.preemptionMode = preemptionMode;
        this.preemptForPriority = preemptForPriority;
    }

    @Override
    public String name() {
        return "priority";
    }

    @Override
    public Set<PreemptionMode> preemptionModes() {
        return EnumSet.of(preemptionMode);
    }

    @Override
    public StepPlan schedule(SchedulerView view) {
        for (List<SequenceState> idle : List.of(view.waiting(), view.swapped())) {
            idle.forEach(s -> waited.merge(s.id(), 1, Integer::sum));
        }
        List<SequenceState> ranked = new ArrayList<>(view.running());
        ranked.addAll(view.swapped());
        if (!view.draining()) {
            ranked.addAll(view.waiting());
        }
        ranked.sort(Comparator.comparingLong(this::effectivePriority).reversed()
                .thenComparingLong(SequenceState::arrivalNanos).thenComparingLong(s -> s.id().value()));

        KvBudget kv = view.kv();
        int tokens = view.limits().maxTokens();
        int sequences = view.limits().maxSequences();
        int free = kv.freeBlocks();
        List<ScheduledWork> work = new ArrayList<>();
        List<Preemption> preemptions = new ArrayList<>();
        Set<SequenceId> preempted = new HashSet<>();
        int lowest = ranked.size() - 1; // next victim candidate, scanning upwards

        for (int i = 0; i < ranked.size() && tokens > 0 && sequences > 0; i++) {
            SequenceState s = ranked.get(i);
            if (preempted.contains(s.id())) {
                continue;
            }
            int chunk = s.isDecoding() ? 1 : Math.min(Math.max(1, s.tokensToPrefill()), tokens);
            int need = kv.blocksNeeded(s, chunk);
            boolean mayPreempt = s.phase() == SequencePhase.RUNNING || preemptForPriority;
            while (need > free && mayPreempt && lowest > i) {
                SequenceState victim = ranked.get(lowest--);
                if (victim.phase() == SequencePhase.RUNNING && !preempted.contains(victim.id())) {
                    preemptions.add(new Preemption(victim.id(), preemptionMode));
                    preempted.add(victim.id());
                    free += victim.blocksHeld();
                }
            }
            if (need > free) {
                continue;
            }
            free -= need;
            tokens -= chunk;
            sequences--;
            work.add(new ScheduledWork(s.id(), chunk));
        }
        return new StepPlan(work, preemptions, List.of());
    }

    private long effectivePriority(SequenceState s) {
        return (long) s.priority() + waited.getOrDefault(s.id(), 0) / agingSteps;
    }

    @Override
    public void onFinished(SequenceId sequence) {
        waited.remove(sequence);
    }
}
