package dev.gantry.runtime.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The service as deployed by default, serving the trained stories260K model (or, where the shared assets are
 * absent, the built-in demo model, so that the endpoint tests still run on a fresh clone).
 */
public class Stories260KProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return SharedAssets.stories260K().map(p -> Map.of("gantry.model.path", p.toString())).orElse(Map.of());
    }
}
