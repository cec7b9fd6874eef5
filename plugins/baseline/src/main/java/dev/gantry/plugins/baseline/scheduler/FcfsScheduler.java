package dev.gantry.plugins.baseline.scheduler;

import dev.gantry.spi.SequenceId;
import dev.gantry.spi.scheduler.KvBudget;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepPlan;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * First come, first served with continuous batching and chunked prefill — what vLLM's default scheduler does.
 *
 * <p>Each step: every running sequence continues (one token when decoding, a prefill chunk otherwise), oldest
 * first; when the KV blocks they need are not free, the newest running sequence is preempted ({@link
 * PreemptionMode#RECOMPUTE} or {@link PreemptionMode#SWAP}, from configuration) until they are. If nothing was
 * preempted, swapped sequences come back, oldest first, then waiting ones are admitted in arrival order while
 * the token budget, the sequence limit and free blocks allow; a waiting sequence whose prompt does not fit
 * the remaining budget gets a chunk of it. Admission never skips ahead of an older sequence that does not
 * fit, so no request starves.
 */
public final class FcfsScheduler implements Scheduler {

    private final PreemptionMode preemptionMode;

    public FcfsScheduler(PreemptionMode preemptionMode) {
        this.preemptionMode = preemptionMode;
    }

    @Override
    public String name() {
        return "fcfs";
    }

    @Override
    public Set<PreemptionMode> preemptionModes() {
        return EnumSet.of(preemptionMode);
    }

    @Override
    public StepPlan schedule(SchedulerView view) {
        KvBudget kv = view.kv();
        int tokenBudget = view.limits().maxTokens();
        int seqBudget = view.limits().maxSequences();
        int free = kv.freeBlocks();
        List<ScheduledWork> work = new ArrayList<>();
        List<Preemption> preemptions = new ArrayList<>();
        Set<SequenceId> preempted = new HashSet<>();

        List<SequenceState> running = view.running();
        int victimIndex = running.size() - 1;
        for (int i = 0; i < running.size() && tokenBudget > 0 && seqBudget > 0; i++) {
            SequenceState s = running.get(i);
            if (preempted.contains(s.id())) {
                break;
            }
            int tokens = s.isDecoding() ? 1 : Math.min(s.tokensToPrefill(), tokenBudget);
            int need = kv.blocksToGrow(s.blocksHeld(), s.computedTokens() + tokens);
            // Free blocks by preempting the newest running sequences until this one fits.
            while (need > free && victimIndex >= i) {
                SequenceState victim = running.get(victimIndex--);
                preemptions.add(new Preemption(victim.id(), preemptionMode));
                preempted.add(victim.id());
                free += victim.blocksHeld();
            }
            if (preempted.contains(s.id())) {
                break;
            }
            free -= need;
            tokenBudget -= tokens;
            seqBudget--;
            work.add(new ScheduledWork(s.id(), tokens));
        }

        if (preemptions.isEmpty()) {
            for (SequenceState s : view.swapped()) {
                int tokens = s.isDecoding() ? 1 : Math.min(s.tokensToPrefill(), tokenBudget);
                int need = kv.blocksFor(s.computedTokens() + tokens);
                if (tokenBudget < tokens || seqBudget == 0 || need > free) {
                    return new StepPlan(work, preemptions, List.of());
                }
                free -= need;
                tokenBudget -= tokens;
                seqBudget--;
                work.add(new ScheduledWork(s.id(), tokens));
            }
            if (!view.draining()) {
                for (SequenceState s : view.waiting()) {
                    if (tokenBudget == 0 || seqBudget == 0) {
                        break;
                    }
                    int tokens = Math.min(Math.max(1, s.tokensToPrefill()), tokenBudget);
                    int need = kv.blocksToGrow(s.blocksHeld(), s.computedTokens() + tokens);
                    if (need > free) {
                        break;
                    }
                    free -= need;
                    tokenBudget -= tokens;
                    seqBudget--;
                    work.add(new ScheduledWork(s.id(), tokens));
                }
            }
        }
        return new StepPlan(work, preemptions, List.of());
    }
}
