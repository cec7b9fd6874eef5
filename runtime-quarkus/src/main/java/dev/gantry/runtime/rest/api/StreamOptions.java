package dev.gantry.runtime.rest.api;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * {@code stream_options}.
 *
 * @param includeUsage send a last chunk with the request's token counts before {@code [DONE]}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record StreamOptions(Boolean includeUsage) {
}
