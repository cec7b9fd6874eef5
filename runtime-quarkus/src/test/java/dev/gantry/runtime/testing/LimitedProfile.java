package dev.gantry.runtime.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The demo model behind every limit the service has: API keys, small prompt, output and body limits, a waiting
 * queue of one request, and vLLM's metric names.
 */
public class LimitedProfile implements QuarkusTestProfile {

    public static final String KEY = "sk-test-key";
    public static final int MAX_PROMPT_TOKENS = 32;
    public static final int MAX_TOKENS = 32;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "gantry.api-keys", "sk-other-key," + KEY,
                "gantry.limits.max-prompt-tokens", String.valueOf(MAX_PROMPT_TOKENS),
                "gantry.limits.max-tokens", String.valueOf(MAX_TOKENS),
                "gantry.limits.max-body-bytes", "2K",
                "gantry.queue.max-waiting", "1",
                "gantry.metrics.prefix", "vllm",
                "gantry.kv-codec", "f16");
    }
}
