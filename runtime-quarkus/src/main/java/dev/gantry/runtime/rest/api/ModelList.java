package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * {@code GET /v1/models}: the one served model.
 *
 * @param object {@code list}
 * @param data   the models
 */
public record ModelList(String object, List<Model> data) {

    /**
     * A model card.
     *
     * @param id          {@code gantry.model.name}
     * @param object      {@code model}
     * @param created     when it was loaded, seconds since the epoch
     * @param ownedBy     {@code gantry}
     * @param maxModelLen its context length in tokens (as vLLM reports it)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Model(String id, String object, long created, String ownedBy, int maxModelLen) {
    }
}
