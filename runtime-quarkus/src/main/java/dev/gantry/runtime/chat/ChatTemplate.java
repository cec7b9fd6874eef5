package dev.gantry.runtime.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns chat messages into the prompt text a model was trained on, with the Jinja template stored in its GGUF
 * file ({@code tokenizer.chat_template}), rendered by Jinjava with the settings Hugging Face uses for chat
 * templates (blocks trimmed and left-stripped). A model without a template gets {@link #FALLBACK}, one
 * {@code role: content} line per message and {@code assistant:} to prompt the reply.
 *
 * <p>Templates see {@code messages} (maps with {@code role} and {@code content}), {@code add_generation_prompt},
 * {@code bos_token}, {@code eos_token} and a {@code raise_exception(message)} function, as they do in Python.
 * Thread-safe.
 */
public final class ChatTemplate {

    /** The template used when the model file has none; documented in the README's Service section. */
    public static final String FALLBACK = readResource("fallback-chat-template.jinja");

    private final String source;
    private final boolean fallback;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    private ChatTemplate(String source, boolean fallback, String bosToken, String eosToken) {
        this.source = source;
        this.fallback = fallback;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.jinjava = new Jinjava(JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                // Python Jinja's operator precedence and whitespace control.
                .withLegacyOverrides(LegacyOverrides.newBuilder().withUseNaturalOperatorPrecedence(true)
                        .withParseWhitespaceControlStrictly(true).build())
                .build());
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition("", "raise_exception",
                ChatTemplate.class, "raiseException", String.class));
    }

    /**
     * The model's template, or the fallback when {@code template} is null or blank.
     *
     * @param bosToken the BOS piece ({@code <s>}), or "" when the model has none
     * @param eosToken the EOS piece, or ""
     */
    public static ChatTemplate of(String template, String bosToken, String eosToken) {
        boolean missing = template == null || template.isBlank();
        return new ChatTemplate(missing ? FALLBACK : template, missing, bosToken, eosToken);
    }

    /** Whether this is the fallback template (the model file has none). */
    public boolean isFallback() {
        return fallback;
    }

    /** The template source. */
    public String source() {
        return source;
    }

    /**
     * Renders a conversation.
     *
     * @param messages            each with {@code role} and {@code content} (and optionally {@code name})
     * @param addGenerationPrompt whether to end with the cue for the assistant's reply
     * @throws ChatTemplateException when the template raises an exception or cannot be rendered
     */
    public String render(List<Map<String, Object>> messages, boolean addGenerationPrompt) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", messages);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        RenderResult result = jinjava.renderForResult(source, bindings);
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL).toList();
        if (!fatal.isEmpty()) {
            throw new ChatTemplateException(fatal.stream().map(ChatTemplate::describe)
                    .collect(Collectors.joining("; ")));
        }
        return result.getOutput();
    }

    private static String describe(TemplateError error) {
        Throwable cause = error.getException();
        while (cause != null && !(cause instanceof TemplateRaisedException) && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause instanceof TemplateRaisedException raised ? raised.getMessage() : error.getMessage();
    }

    /** {@code raise_exception(message)} as templates call it: refuses the conversation with the template's words. */
    public static String raiseException(String message) {
        throw new TemplateRaisedException(message);
    }

    /** What a template's {@code raise_exception} throws, told apart from rendering failures. */
    static final class TemplateRaisedException extends RuntimeException {
        TemplateRaisedException(String message) {
            super(message);
        }
    }

    private static String readResource(String name) {
        try (InputStream in = ChatTemplate.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
