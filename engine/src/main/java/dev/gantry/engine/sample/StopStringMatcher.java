package dev.gantry.engine.sample;

import java.util.List;

/**
 * Finds a request's stop strings in streamed text, across token boundaries, without ever emitting text that
 * could turn out to be part of one. Fed the text deltas of a {@code StreamingDecoder} (whole characters), it
 * returns what may be shown now and holds back the longest suffix that could still begin a stop string. On a
 * match it returns the text before the match and reports which stop string it was; the stop string itself
 * and anything after it are never emitted. {@link #flush()} releases held text when generation ends for
 * another reason.
 *
 * <p>The earliest match in the text wins; of stop strings matching at the same place, the one listed first.
 * Not thread-safe: one per sequence.
 */
public final class StopStringMatcher {

    /**
     * What a {@link #feed} allows.
     *
     * @param text       the text that may be emitted now (possibly empty)
     * @param stopString the stop string found, or null when generation goes on
     */
    public record Emission(String text, String stopString) {

        /** Whether a stop string was found: generation ends and nothing more is to be emitted. */
        public boolean stopped() {
            return stopString != null;
        }
    }

    private final List<String> stops;
    private final StringBuilder held = new StringBuilder();
    private String matched;

    /** A matcher for these stop strings, none of them empty. */
    public StopStringMatcher(List<String> stops) {
        for (String s : stops) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop strings must not be empty");
            }
        }
        this.stops = List.copyOf(stops);
    }

    /** Takes the next piece of text; after a stop, further text is ignored. */
    public Emission feed(String delta) {
        if (matched != null) {
            return new Emission("", matched);
        }
        held.append(delta);
        int at = -1;
        String found = null;
        for (String stop : stops) {
            int i = held.indexOf(stop);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                found = stop;
            }
        }
        if (found != null) {
            matched = found;
            String before = held.substring(0, at);
            held.setLength(0);
            return new Emission(before, found);
        }
        int keep = longestPartialMatch();
        String out = held.substring(0, held.length() - keep);
        held.delete(0, held.length() - keep);
        return new Emission(out, null);
    }

    /** Releases the held text (empty after a stop); the matcher then starts afresh. */
    public String flush() {
        String out = held.toString();
        held.setLength(0);
        matched = null;
        return out;
    }

    /** The text held back because it could begin a stop string. */
    public String heldText() {
        return held.toString();
    }

    /** The length of the longest suffix of the held text that is a proper prefix of some stop string. */
    private int longestPartialMatch() {
        int best = 0;
        int n = held.length();
        for (String stop : stops) {
            for (int len = Math.min(stop.length() - 1, n); len > best; len--) {
                if (heldEndsWith(stop, len)) {
                    best = len;
                    break;
                }
            }
        }
        return best;
    }

    /** Whether the held text ends with the first {@code len} characters of {@code stop}. */
    private boolean heldEndsWith(String stop, int len) {
        int start = held.length() - len;
        for (int k = 0; k < len; k++) {
            if (held.charAt(start + k) != stop.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
