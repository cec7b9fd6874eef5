package dev.gantry.runtime.serving;

import dev.gantry.engine.Engine;
import dev.gantry.engine.plugin.PluginRegistry;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.runtime.chat.ChatPromptEncoder;
import dev.gantry.runtime.chat.ChatTemplate;

/**
 * The loaded model and what the endpoints need beside the engine: its API name, its chat template, the plugins
 * that were installed when it was wired.
 *
 * @param engine        the running engine
 * @param name          the model's id in the API ({@code gantry.model.name})
 * @param chatTemplate  the template chat messages are rendered with
 * @param chatEncoder   encodes rendered chat prompts, control tokens included
 * @param registry      every installed plugin
 * @param createdEpochS when the model was loaded, in seconds since the epoch (the {@code created} of
 *                      {@code /v1/models})
 */
public record ServedModel(Engine engine, String name, ChatTemplate chatTemplate, ChatPromptEncoder chatEncoder,
                          PluginRegistry registry, long createdEpochS) {

    /** The model's tokenizer. */
    public Tokenizer tokenizer() {
        return engine.tokenizer();
    }

    /** The longest context the model takes, in tokens. */
    public int contextLength() {
        return engine.model().config().contextLength();
    }
}
