package dev.gantry.runtime.nativeimage;

import dev.gantry.plugins.baseline.BaselinePlugin;
import dev.gantry.runtime.chat.ChatTemplate;
import dev.gantry.runtime.rest.api.ChatCompletionChunk;
import dev.gantry.runtime.rest.api.ChatCompletionRequest;
import dev.gantry.runtime.rest.api.ChatCompletionResponse;
import dev.gantry.runtime.rest.api.ChatLogprobs;
import dev.gantry.runtime.rest.api.ChatMessage;
import dev.gantry.runtime.rest.api.CompletionRequest;
import dev.gantry.runtime.rest.api.CompletionResponse;
import dev.gantry.runtime.rest.api.DetokenizeRequest;
import dev.gantry.runtime.rest.api.DetokenizeResponse;
import dev.gantry.runtime.rest.api.ErrorResponse;
import dev.gantry.runtime.rest.api.ModelList;
import dev.gantry.runtime.rest.api.PluginListing;
import dev.gantry.runtime.rest.api.SamplingFields;
import dev.gantry.runtime.rest.api.StreamOptions;
import dev.gantry.runtime.rest.api.TokenizeRequest;
import dev.gantry.runtime.rest.api.TokenizeResponse;
import dev.gantry.runtime.rest.api.UsageInfo;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection registrations for a native image.
 *
 * <p>Quarkus turns off GraalVM's automatic ServiceLoader support, so the bundled plugins are registered here: the
 * service file itself is included as a resource ({@code quarkus.native.resources.includes} in
 * {@code application.properties}) and each provider class it names is registered for reflective instantiation,
 * which is what {@link java.util.ServiceLoader} does with it. A plugin module bundled with the service adds its
 * {@code GantryPlugin} class here.
 *
 * <p>Every request and response record of the OpenAI-compatible API is registered with its nested records:
 * resources that write SSE events or return {@code Response} hide their body types from Quarkus's own analysis.
 * Jinjava's own library classes are registered by {@link JinjavaLibraryFeature}.
 */
@RegisterForReflection(targets = {
        // The bundled plugins (META-INF/services/dev.gantry.spi.GantryPlugin).
        BaselinePlugin.class,
        // The JSON bodies of /v1/completions, /v1/chat/completions, /v1/models, /v1/plugins, /tokenize,
        // /detokenize and the OpenAI error shape.
        ChatCompletionChunk.class,
        ChatCompletionRequest.class,
        ChatCompletionResponse.class,
        ChatLogprobs.class,
        ChatMessage.class,
        CompletionRequest.class,
        CompletionResponse.class,
        DetokenizeRequest.class,
        DetokenizeResponse.class,
        ErrorResponse.class,
        ModelList.class,
        PluginListing.class,
        SamplingFields.class,
        StreamOptions.class,
        TokenizeRequest.class,
        TokenizeResponse.class,
        UsageInfo.class,
        // Chat templates call raise_exception, which Jinjava binds to ChatTemplate.raiseException by reflection.
        ChatTemplate.class,
})
public final class NativeImageRegistrations {

    private NativeImageRegistrations() {
    }
}
