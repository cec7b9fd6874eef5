package dev.gantry.engine.loop;

/**
 * Counters of the iteration loop since the engine started, as a snapshot. Decode figures count steps that ran
 * no prefill rows, so {@code decodeTokens / decodeNanos} is the aggregate decode rate.
 *
 * @param steps                 steps run
 * @param decodeSteps           steps with decode work only
 * @param decodeNanos           time spent in those steps
 * @param decodeTokens          tokens they emitted
 * @param promptTokens          prompt tokens of finished requests
 * @param generatedTokens       tokens generated
 * @param preemptions           sequences preempted (either mode)
 * @param prefixQueries         prompt tokens looked up in the prefix cache
 * @param prefixHits            prompt tokens found there
 * @param draftTokens           draft tokens proposed by the speculator
 * @param acceptedTokens        draft tokens accepted
 * @param kvUsage               fraction of KV blocks in use now
 * @param kvUsagePeak           the highest fraction seen
 * @param running               sequences holding device KV now
 * @param waiting               requests waiting for admission now
 */
public record LoopStats(long steps, long decodeSteps, long decodeNanos, long decodeTokens, long promptTokens,
                        long generatedTokens, long preemptions, long prefixQueries, long prefixHits,
                        long draftTokens, long acceptedTokens, double kvUsage, double kvUsagePeak, int running,
                        int waiting) {
}
