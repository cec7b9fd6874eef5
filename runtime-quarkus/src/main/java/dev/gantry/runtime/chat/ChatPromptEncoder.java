package dev.gantry.runtime.chat;

import dev.gantry.engine.tokenizer.TokenType;
import dev.gantry.engine.tokenizer.Tokenizer;
import dev.gantry.engine.tokenizer.Vocabulary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Encodes a rendered chat prompt. Unlike a completion prompt, whose text is plain text, a chat template writes
 * control tokens ({@code <|im_start|>}, {@code <|eot_id|>}, {@code <s>}) as their pieces: those pieces become the
 * control tokens here, and the text between them is encoded as usual, each run as if it started a prompt (a
 * SentencePiece model puts its leading space there, as llama.cpp does after a special token). BOS comes first
 * when the model adds one and the template did not write it.
 */
public final class ChatPromptEncoder {

    private final Tokenizer tokenizer;
    private final int[] controlIds;
    private final String[] controlPieces;

    public ChatPromptEncoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        Vocabulary vocabulary = tokenizer.vocabulary();
        // Longest first, so that a piece that contains another one wins at the same position.
        this.controlIds = IntStream.range(0, vocabulary.size())
                .filter(id -> vocabulary.type(id) == TokenType.CONTROL && !vocabulary.piece(id).isEmpty())
                .boxed()
                .sorted(Comparator.comparingInt((Integer id) -> -vocabulary.piece(id).length()).thenComparing(id -> id))
                .mapToInt(Integer::intValue)
                .toArray();
        this.controlPieces = Arrays.stream(controlIds).mapToObj(vocabulary::piece).toArray(String[]::new);
    }

    /** The prompt's token ids. */
    public int[] encode(String rendered) {
        List<int[]> parts = new ArrayList<>();
        int from = 0;
        while (from < rendered.length()) {
            int at = -1;
            int which = -1;
            for (int i = 0; i < controlPieces.length; i++) {
                int found = rendered.indexOf(controlPieces[i], from);
                if (found >= 0 && (at < 0 || found < at)) {
                    at = found;
                    which = i;
                }
            }
            if (at < 0) {
                parts.add(tokenizer.encode(rendered.substring(from), false));
                break;
            }
            if (at > from) {
                parts.add(tokenizer.encode(rendered.substring(from, at), false));
            }
            parts.add(new int[]{controlIds[which]});
            from = at + controlPieces[which].length();
        }
        IntStream.Builder out = IntStream.builder();
        int bos = tokenizer.bosId();
        boolean startsWithBos = !parts.isEmpty() && parts.getFirst().length > 0 && parts.getFirst()[0] == bos;
        if (tokenizer.addsBos() && bos >= 0 && !startsWithBos) {
            out.add(bos);
        }
        parts.forEach(p -> Arrays.stream(p).forEach(out::add));
        return out.build().toArray();
    }
}
