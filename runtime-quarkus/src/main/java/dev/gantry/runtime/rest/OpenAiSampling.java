package dev.gantry.runtime.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.engine.sample.SamplingParams;
import dev.gantry.runtime.rest.api.SamplingFields;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the sampling fields of an OpenAI (or vLLM) request onto the engine's {@link SamplingParams}, which already
 * has their meanings and validates them with messages naming the field as the API spells it.
 */
public final class OpenAiSampling {

    /** The highest temperature OpenAI's API accepts. */
    static final double MAX_TEMPERATURE = 2.0;

    private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z_]+) ");

    private OpenAiSampling() {
    }

    /**
     * The sampling parameters of choice 0.
     *
     * @param maxTokens the output length
     * @param logprobs  most likely tokens to report per position, or null
     * @throws OpenAiException 400 naming the invalid field
     */
    public static SamplingParams params(SamplingFields f, int maxTokens, Integer logprobs) {
        SamplingParams.Builder b = SamplingParams.builder().maxTokens(maxTokens).logprobs(logprobs).stop(stop(f.stop()));
        if (f.temperature() != null) {
            // OpenAI's range; the engine itself takes any temperature >= 0.
            if (f.temperature() > MAX_TEMPERATURE) {
                throw OpenAiException.invalid("temperature", "temperature must be in [0, " + MAX_TEMPERATURE
                        + "], was " + f.temperature());
            }
            b.temperature(f.temperature().floatValue());
        }
        if (f.topP() != null) {
            b.topP(f.topP().floatValue());
        }
        if (f.presencePenalty() != null) {
            b.presencePenalty(f.presencePenalty().floatValue());
        }
        if (f.frequencyPenalty() != null) {
            b.frequencyPenalty(f.frequencyPenalty().floatValue());
        }
        if (f.topK() != null) {
            b.topK(f.topK());
        }
        if (f.minP() != null) {
            b.minP(f.minP().floatValue());
        }
        if (f.repetitionPenalty() != null) {
            b.repetitionPenalty(f.repetitionPenalty().floatValue());
        }
        if (f.stopTokenIds() != null) {
            b.stopTokenIds(f.stopTokenIds());
        }
        if (f.minTokens() != null) {
            b.minTokens(f.minTokens());
        }
        if (f.ignoreEos() != null) {
            b.ignoreEos(f.ignoreEos());
        }
        b.seed(f.seed());
        return build(b);
    }

    /** Choice {@code i}'s parameters: the request's seed plus i, so that choices differ yet repeat. */
    static SamplingParams forChoice(SamplingParams first, int i) {
        if (i == 0 || first.seed() == null) {
            return first;
        }
        return build(first.toBuilder().seed(first.seed() + i));
    }

    private static SamplingParams build(SamplingParams.Builder b) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            Matcher m = LEADING_FIELD.matcher(e.getMessage());
            throw OpenAiException.invalid(m.find() ? m.group(1) : null, e.getMessage());
        }
    }

    /** {@code stop}: null, a string, or a list of strings. */
    private static List<String> stop(JsonNode stop) {
        if (stop == null || stop.isNull()) {
            return List.of();
        }
        if (stop.isTextual()) {
            return List.of(stop.textValue());
        }
        if (stop.isArray()) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < stop.size(); i++) {
                if (!stop.get(i).isTextual()) {
                    throw OpenAiException.invalid("stop", "stop[" + i + "] must be a string");
                }
                strings.add(stop.get(i).textValue());
            }
            return strings;
        }
        throw OpenAiException.invalid("stop", "stop must be a string or a list of strings");
    }
}
