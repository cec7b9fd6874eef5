package dev.gantry.runtime.rest;

import dev.gantry.runtime.rest.api.ModelList;
import dev.gantry.runtime.serving.ServedModel;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** {@code GET /v1/models} and {@code GET /v1/models/{id}}: the one model this instance serves. */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    @Inject
    RequestAdmission admission;

    @GET
    @Operation(summary = "Lists the served model")
    public ModelList list() {
        return new ModelList("list", List.of(card(admission.model(null))));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "Describes the served model; 404 for any other id")
    public ModelList.Model get(@PathParam("id") String id) {
        return card(admission.model(id));
    }

    private static ModelList.Model card(ServedModel model) {
        return new ModelList.Model(model.name(), "model", model.createdEpochS(), "gantry", model.contextLength());
    }
}
