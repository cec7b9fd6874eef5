package dev.gantry.runtime.kafka;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * A message of {@code gantry.preemption}: a cloud's spot-interruption notice (or its withdrawal) turned into an
 * event, {@code {"instance": "...", "kind": "notice"|"restore", "grace_seconds": 30, "at": "2026-...Z"}}.
 *
 * @param instance     the instance it concerns ({@code gantry.instance-id})
 * @param kind         {@code notice}: the instance goes away after the grace period; {@code restore}: it stays
 * @param graceSeconds seconds until the instance goes away (notices only)
 * @param at           when the event was raised (ISO-8601), informative
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
record PreemptionEvent(String instance, String kind, Double graceSeconds, String at) {

    boolean isNotice() {
        return "notice".equals(kind);
    }

    boolean isRestore() {
        return "restore".equals(kind);
    }
}
