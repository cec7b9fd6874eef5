package dev.gantry.runtime.serving;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness ({@code /q/health/ready}): up only while the model is loaded and served; down (503) while it loads,
 * from SIGTERM on (while running requests drain), and when loading failed.
 */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    @Inject
    ServiceLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("gantry-model")
                .status(lifecycle.state() == ServiceLifecycle.State.READY)
                .withData("state", lifecycle.state().name().toLowerCase());
        lifecycle.served().ifPresent(m -> response.withData("model", m.name()));
        lifecycle.failure().ifPresent(f -> response.withData("failure", f));
        return response.build();
    }
}
