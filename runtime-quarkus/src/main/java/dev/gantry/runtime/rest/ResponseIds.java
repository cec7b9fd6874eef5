package dev.gantry.runtime.rest;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Response ids in OpenAI's form: a kind prefix and random hex ({@code cmpl-3f9a...}). */
final class ResponseIds {

    private ResponseIds() {
    }

    static String next(String prefix) {
        byte[] random = new byte[12];
        ThreadLocalRandom.current().nextBytes(random);
        return prefix + HexFormat.of().formatHex(random);
    }
}
