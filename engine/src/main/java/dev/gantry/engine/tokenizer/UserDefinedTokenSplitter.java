package dev.gantry.engine.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Cuts the vocabulary's user-defined tokens out of prompt text before the tokenizer's algorithm runs, so
 * that an added token written in a prompt (say {@code <tool_call>}) becomes that one token, as llama.cpp
 * does even when it does not parse special tokens. Control and unknown tokens are left in the text as
 * characters.
 *
 * <p>Longer tokens are cut first (by UTF-8 length, ties by id), each one at every occurrence from left to
 * right in the text that remains; that is llama.cpp's order.
 */
final class UserDefinedTokenSplitter {

    private final int[] ids;
    private final String[] texts;

    UserDefinedTokenSplitter(Vocabulary vocabulary) {
        this.ids = IntStream.range(0, vocabulary.size())
                .filter(i -> vocabulary.type(i) == TokenType.USER_DEFINED)
                .boxed()
                .sorted(Comparator.comparingInt((Integer i) -> -utf8Length(vocabulary.piece(i))))
                .mapToInt(Integer::intValue)
                .toArray();
        this.texts = new String[ids.length];
        for (int i = 0; i < ids.length; i++) {
            texts[i] = vocabulary.piece(ids[i]);
        }
    }

    /** The text as fragments; the empty text gives none. */
    List<PromptFragment> split(String text) {
        List<PromptFragment> fragments = new ArrayList<>();
        if (!text.isEmpty()) {
            fragments.add(new PromptFragment.Text(text));
        }
        for (int t = 0; t < ids.length; t++) {
            List<PromptFragment> next = new ArrayList<>(fragments.size());
            for (PromptFragment fragment : fragments) {
                if (fragment instanceof PromptFragment.Text(String raw)) {
                    cut(raw, texts[t], ids[t], next);
                } else {
                    next.add(fragment);
                }
            }
            fragments = next;
        }
        return fragments;
    }

    private static void cut(String raw, String token, int id, List<PromptFragment> out) {
        int from = 0;
        for (int at = raw.indexOf(token); at >= 0; at = raw.indexOf(token, from)) {
            if (at > from) {
                out.add(new PromptFragment.Text(raw.substring(from, at)));
            }
            out.add(new PromptFragment.Token(id));
            from = at + token.length();
        }
        if (from < raw.length()) {
            out.add(new PromptFragment.Text(raw.substring(from)));
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
