package dev.gantry.runtime.chat;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Chat templates as GGUF files carry them (Jinja, written for Python), rendered on the JVM. */
class ChatTemplateTest {

    static final List<Map<String, Object>> CONVERSATION = List.of(
            Map.of("role", "system", "content", "Be brief."),
            Map.of("role", "user", "content", "Hi!"),
            Map.of("role", "assistant", "content", "Hello."),
            Map.of("role", "user", "content", "How are you?"));

    @Test
    void theFallbackWritesOneLinePerMessageAndCuesTheAssistant() {
        ChatTemplate t = ChatTemplate.of(null, "<s>", "</s>");
        assertTrue(t.isFallback());
        assertEquals("system: Be brief.\nuser: Hi!\nassistant: Hello.\nuser: How are you?\nassistant:",
                t.render(CONVERSATION, true));
        assertEquals("user: Hi!\n", t.render(List.of(Map.of("role", "user", "content", "Hi!")), false));
    }

    @Test
    void chatMlTemplatesRender() {
        String chatMl = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                + " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
                + "{% endif %}";
        String out = ChatTemplate.of(chatMl, "", "<|im_end|>").render(CONVERSATION.subList(1, 2), true);
        assertEquals("<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n", out);
    }

    @Test
    void llama3StyleTemplatesRender() {
        String llama3 = "{% set loop_messages = messages %}{% for message in loop_messages %}"
                + "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'"
                + " + message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
                + "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
                + "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";
        String out = ChatTemplate.of(llama3, "<|begin_of_text|>", "<|eot_id|>").render(CONVERSATION.subList(0, 2), true);
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi!<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n", out);
    }

    @Test
    void llama2TemplatesRaiseTheirOwnErrors() {
        String llama2 = "{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
                + "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
                + "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
                + "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
                + "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
                + "{% endif %}{% if loop.index0 == 0 and system_message != false %}"
                + "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
                + "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
                + "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
                + "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}";
        ChatTemplate t = ChatTemplate.of(llama2, "<s>", "</s>");
        assertEquals("<s>[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi! [/INST] Hello. </s><s>[INST] How are you? [/INST]",
                t.render(CONVERSATION, true));
        ChatTemplateException e = assertThrows(ChatTemplateException.class, () -> t.render(List.of(
                Map.of("role", "assistant", "content", "first")), true));
        assertTrue(e.getMessage().contains("Conversation roles must alternate"), e.getMessage());
    }
}
