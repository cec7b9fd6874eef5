package dev.gantry.engine.loop;

import dev.gantry.engine.GenerationRequest;
import dev.gantry.engine.GenerationResult;
import dev.gantry.engine.kv.PagedKvCache;
import dev.gantry.engine.kv.PagedKvView;
import dev.gantry.engine.llama.ForwardBatch;
import dev.gantry.engine.llama.LlamaForward;
import dev.gantry.engine.llama.LlamaModel;
import dev.gantry.engine.plugin.ActivePlugins;
import dev.gantry.engine.sample.FinishReason;
import dev.gantry.engine.sample.SampleResult;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.engine.sample.SequenceSampler;
import dev.gantry.engine.sample.SamplingScratch;
import dev.gantry.engine.sample.StopChecker;
import dev.gantry.engine.sample.TreeVerifier;
import dev.gantry.engine.tokenizer.StreamingDecoder;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.spi.ReleaseReason;
import dev.gantry.spi.SequenceId;
import dev.gantry.spi.attention.AttentionBackend;
import dev.gantry.spi.attention.AttentionMask;
import dev.gantry.spi.attention.AttentionPhase;
import dev.gantry.spi.attention.LayerInfo;
import dev.gantry.spi.scheduler.Preemption;
import dev.gantry.spi.scheduler.PreemptionMode;
import dev.gantry.spi.scheduler.ScheduledWork;
import dev.gantry.spi.scheduler.Scheduler;
import dev.gantry.spi.scheduler.SchedulerView;
import dev.gantry.spi.scheduler.SequencePhase;
import dev.gantry.spi.scheduler.SequenceProgress;
import dev.gantry.spi.scheduler.SequenceState;
import dev.gantry.spi.scheduler.StepLimits;
import dev.gantry.spi.scheduler.StepOutcome;
import dev.gantry.spi.scheduler.StepPlan;
import dev.gantry.spi.scheduler.WorkKind;
import dev.gantry.spi.speculator.DraftTree;
import dev.gantry.spi.speculator.Speculator;
import dev.gantry.spi.speculator.VerifyMode;
import dev.gantry.spi.speculator.VerifyResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The engine's iteration loop: continuous batching driven by the {@link Scheduler} plugin. Each
 * {@link #step()}: admit new requests, ask the scheduler for a {@link StepPlan}, apply its preemptions, run
 * every scheduled sequence's tokens — prefill chunks, decode tokens and draft trees — as one
 * {@link ForwardBatch}, then sample or verify, stream the new tokens out and release finished sequences.
 *
 * <p>One thread runs the loop; {@link #submit} and {@link TokenStream#cancel()} may be called from any thread.
 */
public final class IterationLoop implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IterationLoop.class.getName());

    private final LlamaModel model;
    private final Tokenizer tokenizer;
    private final LlamaForward forward;
    private final PagedKvCache cache;
    private final ActivePlugins plugins;
    private final Scheduler scheduler;
    private final Speculator speculator;
    private final AttentionBackend attention;
    private final StepLimits limits;
    private final int maxWaiting;
    private final int maxTreeSize;
    private final int vocab;
    private final int context;
    private final String modelName;
    private final ForwardBatch batch;
    private final SequenceSpeculationContext speculationContext;
    private final PagedKvView reannounceView;
    private float[] logits = new float[0];
    private final SamplingScratch samplingScratch = new SamplingScratch();
    private final TreeVerifier verifier = new TreeVerifier();
    private final int[] endOfGeneration;

    private final ReentrantLock inboxLock = new ReentrantLock();
    private final Condition workArrived = inboxLock.newCondition();
    private final ArrayDeque<LiveSequence> inbox = new ArrayDeque<>();
    private final ArrayDeque<SequenceId> cancellations = new ArrayDeque<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong nextId = new AtomicLong(1);

    private final Map<SequenceId, LiveSequence> live = new HashMap<>();
    private final List<LiveSequence> waiting = new ArrayList<>();
    private final List<LiveSequence> running = new ArrayList<>();
    private final List<LiveSequence> swapped = new ArrayList<>();

    private final LoopCounters counters = new LoopCounters();
    private volatile LoopStats stats = new LoopCounters().snapshot(0, 0, 0, 0, 0);
    private volatile Thread thread;
    private volatile boolean closed;

    /** One segment of the step being built: which sequence, which kind, where its logits are. */
    private record Segment(LiveSequence sequence, AttentionPhase phase, int rows, int firstLogit, DraftTree tree,
                           int baseSlot) {
    }

    /**
     * @param maxWaiting  requests that may wait for admission before {@link #submit} refuses more
     * @param maxTreeSize the most draft-tree nodes per sequence per step
     */
    public IterationLoop(LlamaModel model, LlamaForward forward, PagedKvCache cache, ActivePlugins plugins,
                         StepLimits limits, int maxWaiting, int maxTreeSize) {
        this.model = model;
        this.tokenizer = model.tokenizer();
        this.forward = forward;
        this.cache = cache;
        this.plugins = plugins;
        this.scheduler = plugins.scheduler();
        this.speculator = plugins.speculator();
        this.attention = plugins.attention();
        this.limits = limits;
        this.maxWaiting = maxWaiting;
        this.maxTreeSize = Math.max(1, Math.min(maxTreeSize, speculator.maxTreeSize()));
        this.vocab = forward.vocabularySize();
        this.context = model.config().contextLength();
        this.modelName = model.info().name();
        this.batch = forward.newBatch();
        this.speculationContext = new SequenceSpeculationContext(model.info(),
                new TensorMatrixView(model.weights().output()), new TensorMatrixView(model.weights().tokenEmbedding()));
        this.reannounceView = new PagedKvView(cache);
        this.endOfGeneration = tokenizer.endOfGenerationIds();
    }

    // ---------------------------------------------------------------- submission (any thread)

    /**
     * Accepts a request. Its prompt is encoded here, on the caller's thread.
     *
     * @throws QueueFullException       when the waiting queue is full (nothing is kept)
     * @throws IllegalArgumentException when the prompt cannot be served (empty without BOS, too long)
     */
    public TokenStream submit(GenerationRequest request) {
        return submitAll(List.of(request)).get(0);
    }

    /** Accepts several requests at once: the loop admits them in the same step (batch tests and benchmarks). */
    public List<TokenStream> submitAll(List<GenerationRequest> requests) {
        List<LiveSequence> prepared = new ArrayList<>(requests.size());
        for (GenerationRequest r : requests) {
            prepared.add(prepare(r));
        }
        inboxLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the engine is closed");
            }
            if (queued.get() + prepared.size() > maxWaiting) {
                throw new QueueFullException(maxWaiting);
            }
            queued.addAndGet(prepared.size());
            inbox.addAll(prepared);
            workArrived.signalAll();
        } finally {
            inboxLock.unlock();
        }
        return prepared.stream().map(s -> s.stream).toList();
    }

    private LiveSequence prepare(GenerationRequest r) {
        int[] prompt = r.promptTokens() != null ? r.promptTokens() : tokenizer.encode(r.prompt(), true);
        if (prompt.length == 0) {
            throw new IllegalArgumentException("the prompt is empty and this model adds no BOS token: nothing to "
                    + "condition on");
        }
        if (prompt.length >= context) {
            throw new IllegalArgumentException("the prompt has " + prompt.length + " tokens; the model's context is "
                    + context + " tokens");
        }
        for (int t : prompt) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("prompt token id " + t + " is outside the vocabulary of " + vocab);
            }
        }
        int[] generated = r.generatedTokens();
        for (int t : generated) {
            if (t < 0 || t >= vocab) {
                throw new IllegalArgumentException("generated token id " + t + " is outside the vocabulary of "
                        + vocab);
            }
        }
        if (generated.length >= r.sampling().maxTokens() || prompt.length + generated.length >= context) {
            throw new IllegalArgumentException("the request already holds " + generated.length + " generated tokens:"
                    + " nothing is left to generate within max_tokens and the model's context");
        }
        int needed = cache.budget().blocksFor(Math.min(context, prompt.length + r.sampling().maxTokens()));
        if (needed > cache.budget().totalBlocks()) {
            throw new IllegalArgumentException("the request needs up to " + needed + " KV blocks but the cache has "
                    + cache.budget().totalBlocks() + "; raise the KV budget or lower max tokens");
        }
        SequenceId id = new SequenceId(nextId.getAndIncrement());
        SamplingParams p = r.sampling();
        LiveSequence[] holder = new LiveSequence[1];
        TokenStream stream = new TokenStream(id, () -> cancel(id, holder));
        // Samplers run on the loop thread only, so they share its scratch arrays.
        LiveSequence s = new LiveSequence(id, r, prompt,
                new SequenceSampler(p, prompt, endOfGeneration, samplingScratch), new StreamingDecoder(tokenizer),
                new StopChecker(p, endOfGeneration), stream, System.nanoTime());
        if (generated.length > 0) {
            resume(s, generated);
        }
        holder[0] = s;
        return s;
    }

    /**
     * Takes a continuation's tokens as the sequence's first output, as if it had generated them: the decoder and
     * the stop rules see their text (which was streamed by the first run, so it is not streamed again), the
     * sampler their draws, and the last one is pending, so the prompt and the rest are prefilled like a
     * recompute after preemption.
     */
    private void resume(LiveSequence s, int[] generated) {
        for (int i = 0; i < generated.length; i++) {
            s.output.add(generated[i]);
            s.stops.check(generated[i], s.decoder.feed(generated[i]), i + 1);
        }
        s.sampler.resumeAfter(generated);
        s.hasPending = true;
    }

    private void cancel(SequenceId id, LiveSequence[] holder) {
        holder[0].cancelRequested = true;
        inboxLock.lock();
        try {
            cancellations.add(id);
            workArrived.signalAll();
        } finally {
            inboxLock.unlock();
        }
    }

    // ---------------------------------------------------------------- the loop thread

    /** Starts the loop on its own thread. */
    public void start() {
        Thread t = Thread.ofPlatform().name("gantry-loop").daemon().unstarted(this::run);
        thread = t;
        t.start();
    }

    private void run() {
        while (!closed) {
            try {
                if (!step()) {
                    awaitWork();
                }
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "engine step failed; failing the requests it held", e);
                failAll(e);
            }
        }
        failAll(new IllegalStateException("the engine was closed"));
    }

    private void awaitWork() {
        inboxLock.lock();
        try {
            while (!closed && inbox.isEmpty() && cancellations.isEmpty() && live.isEmpty()) {
                workArrived.awaitNanos(50_000_000L);
            }
            if (!closed && inbox.isEmpty() && cancellations.isEmpty() && !live.isEmpty()) {
                // Work exists but the scheduler ran nothing: wait briefly rather than spin.
                workArrived.awaitNanos(1_000_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inboxLock.unlock();
        }
    }

    /**
     * Runs one step. Called by the loop thread (tests may drive it directly instead of {@link #start}).
     *
     * @return whether any tokens were processed
     */
    public boolean step() {
        admitArrivals();
        if (live.isEmpty()) {
            publishStats();
            return false;
        }
        StepPlan plan = scheduler.schedule(view());
        PlanValidator.check(scheduler.name(), plan, limits, live);
        for (Preemption p : plan.preemptions()) {
            preempt(live.get(p.sequence()), p.mode());
        }
        for (SequenceId m : plan.migrations()) {
            LiveSequence s = live.get(m);
            fail(s, "the scheduler migrated this request, but no migration target is configured");
        }
        List<Segment> segments = buildBatch(plan.work());
        if (batch.rows() == 0) {
            return !plan.preemptions().isEmpty();
        }
        ensureLogitCapacity(batch.logitCount());
        long t0 = System.nanoTime();
        forward.forward(batch, logits);
        List<SequenceProgress> progress = new ArrayList<>(segments.size());
        long emitted = 0;
        boolean anyPrefill = false;
        for (Segment seg : segments) {
            int before = seg.sequence().output.size();
            boolean finished = switch (seg.phase()) {
                case PREFILL -> afterPrefill(seg);
                case DECODE -> afterDecode(seg);
                case VERIFY -> afterVerify(seg);
            };
            int produced = seg.sequence().output.size() - before;
            anyPrefill |= seg.phase() == AttentionPhase.PREFILL;
            emitted += produced;
            progress.add(new SequenceProgress(seg.sequence().id, seg.rows(), produced, finished));
        }
        long nanos = System.nanoTime() - t0;
        counters.recordStep(nanos, anyPrefill, emitted);
        scheduler.onStepCompleted(new StepOutcome(nanos, progress));
        publishStats();
        return true;
    }

    private void admitArrivals() {
        List<LiveSequence> arrivals = new ArrayList<>();
        List<SequenceId> cancels = new ArrayList<>();
        inboxLock.lock();
        try {
            arrivals.addAll(inbox);
            inbox.clear();
            cancels.addAll(cancellations);
            cancellations.clear();
        } finally {
            inboxLock.unlock();
        }
        for (LiveSequence s : arrivals) {
            live.put(s.id, s);
            insertByArrival(waiting, s);
        }
        for (SequenceId id : cancels) {
            LiveSequence s = live.get(id);
            if (s != null) {
                finish(s, FinishReason.CANCELLED, ReleaseReason.CANCELLED);
            }
        }
    }

    private SchedulerView view() {
        List<SequenceState> w = states(waiting, SequencePhase.WAITING);
        List<SequenceState> r = states(running, SequencePhase.RUNNING);
        List<SequenceState> sw = states(swapped, SequencePhase.SWAPPED);
        var budget = cache.budget();
        long now = System.nanoTime();
        return new SchedulerView() {
            public long nowNanos() {
                return now;
            }

            public List<SequenceState> waiting() {
                return w;
            }

            public List<SequenceState> running() {
                return r;
            }

            public List<SequenceState> swapped() {
                return sw;
            }

            public dev.gantry.spi.scheduler.KvBudget kv() {
                return budget;
            }

            public StepLimits limits() {
                return limits;
            }

            public boolean draining() {
                return false;
            }
        };
    }

    private List<SequenceState> states(List<LiveSequence> list, SequencePhase phase) {
        List<SequenceState> out = new ArrayList<>(list.size());
        for (LiveSequence s : list) {
            out.add(new SequenceState(s.id, modelName, WorkKind.INFERENCE, phase, s.prompt.length, s.computed,
                    s.output.size(), s.request.sampling().maxTokens(), s.arrivalNanos, s.request.priority(),
                    Long.MAX_VALUE, s.blocks == null ? 0 : s.blocks.blockCount(), s.cachedPrefixTokens,
                    s.preemptions));
        }
        return out;
    }

    // ---------------------------------------------------------------- building the batch

    private List<Segment> buildBatch(List<ScheduledWork> work) {
        batch.clear();
        List<Segment> segments = new ArrayList<>(work.size());
        for (ScheduledWork w : work) {
            LiveSequence s = live.get(w.sequence());
            if (s == null || !admitToDevice(s)) {
                continue;
            }
            Segment seg = s.prefilling() ? addPrefill(s, w.tokens()) : addDecode(s);
            if (seg != null) {
                segments.add(seg);
            }
        }
        return segments;
    }

    /** Makes sure a scheduled sequence holds device blocks: swap in, or admit with its cached prefix. */
    private boolean admitToDevice(LiveSequence s) {
        if (s.phase == SequencePhase.SWAPPED) {
            if (!cache.swapIn(s.blocks)) {
                return false;
            }
            move(s, swapped, running, SequencePhase.RUNNING);
        } else if (s.phase == SequencePhase.WAITING) {
            s.blocks = cache.newSequence();
            int cached = cache.attachCachedPrefix(s.blocks, s.allTokens(), s.committed());
            s.computed = cached;
            if (s.neverRan()) {
                s.cachedPrefixTokens = cached;
                queued.decrementAndGet();
            }
            if (s.admittedNanos == 0) {
                s.admittedNanos = System.nanoTime();
            }
            move(s, waiting, running, SequencePhase.RUNNING);
        }
        return true;
    }

    private Segment addPrefill(LiveSequence s, int scheduled) {
        int n = Math.min(Math.min(scheduled, s.committed() - s.computed), batch.capacity() - batch.rows());
        if (n <= 0 || !cache.reserve(s.blocks, n)) {
            undoAdmissionIfEmpty(s);
            return null;
        }
        int first = s.blocks.length();
        boolean completes = s.computed + n == s.committed();
        boolean wantsLogits = completes && !s.hasPending;
        batch.beginSegment(s.id, s.blocks, AttentionPhase.PREFILL, new AttentionMask.Causal(first), first);
        int logit = -1;
        for (int i = 0; i < n; i++) {
            int pos = s.computed + i;
            int token = s.tokenAt(pos);
            cache.appendSlot(s.blocks, token, pos);
            int idx = batch.addRow(token, pos, wantsLogits && i == n - 1);
            logit = idx >= 0 ? idx : logit;
        }
        return new Segment(s, AttentionPhase.PREFILL, n, logit, null, first);
    }

    private Segment addDecode(LiveSequence s) {
        DraftTree tree = propose(s);
        if (tree.size() > 1 && (batch.rows() + tree.size() > batch.capacity() || !cache.reserve(s.blocks, tree.size()))) {
            tree = DraftTree.rootOnly(s.pending());
        }
        if (tree.size() == 1 && (batch.rows() + 1 > batch.capacity() || !cache.reserve(s.blocks, 1))) {
            return null;
        }
        int base = s.blocks.length();
        AttentionPhase phase = tree.size() == 1 ? AttentionPhase.DECODE : AttentionPhase.VERIFY;
        AttentionMask mask = tree.size() == 1 ? new AttentionMask.Causal(base)
                : new AttentionMask.Tree(base, tree.parents());
        batch.beginSegment(s.id, s.blocks, phase, mask, base);
        int first = -1;
        for (int i = 0; i < tree.size(); i++) {
            int pos = base + tree.depth(i);
            cache.appendSlot(s.blocks, tree.token(i), pos);
            int idx = batch.addRow(tree.token(i), pos, true);
            first = i == 0 ? idx : first;
        }
        return new Segment(s, phase, tree.size(), first, tree, base);
    }

    private DraftTree propose(LiveSequence s) {
        int room = Math.min(maxTreeSize, context - s.total());
        if (room <= 1 || maxTreeSize <= 1) {
            return DraftTree.rootOnly(s.pending());
        }
        DraftTree tree = speculator.propose(speculationContext.bind(s, room));
        if (tree.token(0) != s.pending() || tree.size() > room) {
            throw new IllegalStateException("speculator '" + speculator.name() + "' proposed a tree "
                    + (tree.token(0) != s.pending() ? "not rooted at the pending token " + s.pending()
                    : "of " + tree.size() + " nodes; at most " + room + " were allowed"));
        }
        for (int i = 1; i < tree.size(); i++) {
            if (tree.token(i) < 0 || tree.token(i) >= vocab) {
                throw new IllegalStateException("speculator '" + speculator.name() + "' proposed token id "
                        + tree.token(i) + " outside the vocabulary of " + vocab);
            }
        }
        return tree;
    }

    private void undoAdmissionIfEmpty(LiveSequence s) {
        if (s.blocks != null && s.blocks.length() == 0 && s.computed == 0) {
            cache.free(s.blocks);
            s.blocks = null;
            move(s, running, waiting, SequencePhase.WAITING);
            if (s.neverRan()) {
                queued.incrementAndGet();
            }
        }
    }

    // ---------------------------------------------------------------- after the forward

    private boolean afterPrefill(Segment seg) {
        LiveSequence s = seg.sequence();
        s.computed += seg.rows();
        cache.commitFullBlocks(s.blocks);
        if (s.prefilling()) {
            return false;
        }
        forward.prefillDone(s.id);
        if (seg.firstLogit() < 0) {
            return false; // recomputed: the pending token already exists
        }
        keepHidden(s, new int[] {seg.firstLogit()});
        SampleResult r = s.sampler.sample(logits, seg.firstLogit() * vocab, vocab);
        s.sampler.accept(r.token());
        return emit(s, r.token(), logprob(s, r));
    }

    private boolean afterDecode(Segment seg) {
        LiveSequence s = seg.sequence();
        s.computed += 1;
        cache.commitFullBlocks(s.blocks);
        keepHidden(s, new int[] {seg.firstLogit()});
        SampleResult r = s.sampler.sample(logits, seg.firstLogit() * vocab, vocab);
        s.sampler.accept(r.token());
        return emit(s, r.token(), logprob(s, r));
    }

    private boolean afterVerify(Segment seg) {
        LiveSequence s = seg.sequence();
        DraftTree tree = seg.tree();
        VerifyMode mode = verifyModeFor(s);
        // The verifier records every committed token, and the new pending one, in the sampler's history.
        VerifyResult result = verifier.verify(tree, logits, seg.firstLogit() * vocab, vocab, s.sampler, mode);
        int[] path = result.acceptedNodes();
        int base = seg.baseSlot();
        for (int j = 1; j < path.length; j++) {
            if (path[j] != j) {
                cache.copySlot(s.blocks, base + path[j], base + j);
            }
        }
        cache.truncate(s.blocks, base + path.length);
        reannounce(s, base, path.length);
        s.computed += path.length;
        cache.commitFullBlocks(s.blocks);
        int[] rows = new int[path.length];
        for (int j = 0; j < path.length; j++) {
            rows[j] = seg.firstLogit() + path[j];
        }
        keepHidden(s, rows);
        counters.recordSpeculation(tree.size() - 1, path.length - 1);
        speculator.onVerified(s.id, result);
        for (int j = 1; j < path.length; j++) {
            if (emit(s, tree.token(path[j]), logprobAt(s, rows[j - 1], tree.token(path[j])))) {
                return true;
            }
        }
        return emit(s, result.nextPendingToken(), logprobAt(s, rows[path.length - 1], result.nextPendingToken()));
    }

    /** Greedy requests verify greedily whatever the speculator declares; sampled ones as it declares. */
    private VerifyMode verifyModeFor(LiveSequence s) {
        return s.request.sampling().isGreedy() ? VerifyMode.GREEDY_EXACT : speculator.verifyMode();
    }

    /** After verification the kept slots changed: tell KV-append hooks about exactly what is now stored. */
    private void reannounce(LiveSequence s, int base, int kept) {
        attention.onKvTruncated(s.id, base);
        var c = model.config();
        float[] k = new float[c.kvDim()];
        float[] v = new float[c.kvDim()];
        for (int l = 0; l < c.layers(); l++) {
            PagedKvView view = reannounceView.bind(s.blocks, l);
            LayerInfo layer = new LayerInfo(l, c.layers(), c.heads(), c.kvHeads(), c.headDim());
            for (int slot = base; slot < base + kept; slot++) {
                for (int h = 0; h < c.kvHeads(); h++) {
                    view.readKey(slot, h, k, h * c.headDim());
                    view.readValue(slot, h, v, h * c.headDim());
                }
                attention.onKvAppend(layer, s.id, slot, view.position(slot), k, v, 0);
            }
        }
    }

    private void keepHidden(LiveSequence s, int[] logitRows) {
        int dim = model.config().dim();
        if (s.hiddenPreNorm == null || s.hiddenPreNorm.length < logitRows.length * dim) {
            s.hiddenPreNorm = new float[Math.max(logitRows.length, maxTreeSize) * dim];
            s.hiddenPostNorm = new float[Math.max(logitRows.length, maxTreeSize) * dim];
        }
        for (int j = 0; j < logitRows.length; j++) {
            forward.hidden(logitRows[j], false, s.hiddenPreNorm, j * dim);
            forward.hidden(logitRows[j], true, s.hiddenPostNorm, j * dim);
        }
        s.hiddenCount = logitRows.length;
    }

    private TokenLogprob logprob(LiveSequence s, SampleResult r) {
        Integer n = s.request.sampling().logprobs();
        return n == null ? null : new TokenLogprob(r.token(), r.logprob(), r.topIds(), r.topLogprobs());
    }

    private TokenLogprob logprobAt(LiveSequence s, int logitRow, int token) {
        Integer n = s.request.sampling().logprobs();
        if (n == null) {
            return null;
        }
        SampleResult r = s.sampler.describe(logits, logitRow * vocab, vocab, token);
        return new TokenLogprob(token, r.logprob(), r.topIds(), r.topLogprobs());
    }

    // ---------------------------------------------------------------- output

    /**
     * Appends a sampled token to the sequence's output and streams its text, applying the stop rules. A
     * stopping end-of-generation or stop token is not part of the output; the token that completes a stop
     * string is, but the string's text is not.
     *
     * @return whether the sequence finished
     */
    private boolean emit(LiveSequence s, int token, TokenLogprob logprob) {
        if (s.firstTokenNanos == 0) {
            s.firstTokenNanos = System.nanoTime();
        }
        String delta = s.decoder.feed(token);
        StopChecker.Decision d = s.stops.check(token, delta, s.output.size() + 1);
        boolean excluded = d.finishReason() == FinishReason.STOP && d.stopString() == null;
        if (!excluded) {
            s.output.add(token);
            s.hasPending = true;
            if (logprob != null) {
                s.logprobs.add(logprob);
            }
            counters.generated.incrementAndGet();
        }
        if (!excluded || !d.text().isEmpty()) {
            s.text.append(d.text());
            s.stream.publish(new TokenEvent.Delta(excluded ? new int[0] : new int[] {token}, d.text(),
                    logprob == null || excluded ? List.of() : List.of(logprob)));
        }
        if (d.finished()) {
            finish(s, d.finishReason(), ReleaseReason.FINISHED, d.stopString() == null);
            return true;
        }
        if (s.total() >= context) {
            finish(s, FinishReason.LENGTH, ReleaseReason.FINISHED, true);
            return true;
        }
        return false;
    }

    private void finish(LiveSequence s, FinishReason reason, ReleaseReason release) {
        finish(s, reason, release, true);
    }

    /** Ends a sequence: releases held text (unless a stop string ended it), publishes the end, frees it. */
    private void finish(LiveSequence s, FinishReason reason, ReleaseReason release, boolean flushText) {
        if (flushText) {
            String rest = s.stops.flush() + s.decoder.flush();
            if (!rest.isEmpty()) {
                s.text.append(rest);
                s.stream.publish(new TokenEvent.Delta(new int[0], rest, List.of()));
            }
        }
        Usage usage = new Usage(s.prompt.length, s.output.size(), s.cachedPrefixTokens);
        s.stream.publish(new TokenEvent.Finished(reason, usage));
        remove(s, release);
        counters.promptTokens.addAndGet(s.prompt.length);
        long now = System.nanoTime();
        s.stream.complete(new GenerationResult(s.prompt, s.output.toArray(), s.text.toString(), reason, usage,
                List.copyOf(s.logprobs), s.admittedNanos == 0 ? -1 : s.admittedNanos - s.arrivalNanos,
                s.firstTokenNanos == 0 ? -1 : s.firstTokenNanos - s.arrivalNanos,
                now - s.arrivalNanos, s.preemptions));
    }

    private void fail(LiveSequence s, String message) {
        s.stream.publish(new TokenEvent.Failed(message));
        remove(s, ReleaseReason.CANCELLED);
        s.stream.fail(new IllegalStateException(message));
    }

    private void failAll(Throwable cause) {
        for (LiveSequence s : List.copyOf(live.values())) {
            try {
                fail(s, "the engine failed: " + cause.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "could not fail " + s.id, e);
            }
        }
        inboxLock.lock();
        try {
            for (LiveSequence s : inbox) {
                s.stream.publish(new TokenEvent.Failed("the engine failed: " + cause.getMessage()));
                s.stream.fail(cause);
            }
            queued.addAndGet(-inbox.size());
            inbox.clear();
        } finally {
            inboxLock.unlock();
        }
    }

    private void remove(LiveSequence s, ReleaseReason release) {
        if (s.phase == SequencePhase.WAITING && s.blocks == null && s.neverRan()) {
            queued.decrementAndGet();
        }
        live.remove(s.id);
        waiting.remove(s);
        running.remove(s);
        swapped.remove(s);
        if (s.blocks != null) {
            cache.free(s.blocks);
            s.blocks = null;
        }
        attention.release(s.id, release);
        speculator.release(s.id, release);
        scheduler.onFinished(s.id);
    }

    private void preempt(LiveSequence s, PreemptionMode mode) {
        s.preemptions++;
        counters.preemptions.incrementAndGet();
        if (mode == PreemptionMode.SWAP && cache.swapOut(s.blocks)) {
            move(s, running, swapped, SequencePhase.SWAPPED);
            return;
        }
        cache.free(s.blocks);
        s.blocks = null;
        s.computed = 0;
        s.hiddenCount = 0;
        attention.release(s.id, ReleaseReason.PREEMPTED_RECOMPUTE);
        speculator.release(s.id, ReleaseReason.PREEMPTED_RECOMPUTE);
        move(s, running, waiting, SequencePhase.WAITING);
    }

    private void move(LiveSequence s, List<LiveSequence> from, List<LiveSequence> to, SequencePhase phase) {
        from.remove(s);
        insertByArrival(to, s);
        s.phase = phase;
    }

    private static void insertByArrival(List<LiveSequence> list, LiveSequence s) {
        int i = list.size();
        while (i > 0 && list.get(i - 1).arrivalNanos > s.arrivalNanos) {
            i--;
        }
        list.add(i, s);
    }

    private void ensureLogitCapacity(int rows) {
        if (logits.length < rows * vocab) {
            logits = new float[rows * vocab];
        }
    }

    /** Counters since start, as of the end of the last step. */
    public LoopStats stats() {
        return stats;
    }

    private void publishStats() {
        var kv = cache.stats();
        counters.observeKv(kv.usage());
        stats = counters.snapshot(kv.prefixQueryTokens(), kv.prefixHitTokens(), kv.usage(), running.size() + swapped.size(),
                queued.get());
    }

    @Override
    public void close() {
        closed = true;
        inboxLock.lock();
        try {
            workArrived.signalAll();
        } finally {
            inboxLock.unlock();
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
