package dev.gantry.engine.loop;

/**
 * The engine's waiting queue is full: the request was not accepted (nothing of it is kept). Callers answer
 * with back-pressure (HTTP 429, pausing a consumer) and retry later.
 */
public class QueueFullException extends RuntimeException {

    private final int limit;

    public QueueFullException(int limit) {
        super("the waiting queue is full (" + limit + " requests); retry later");
        this.limit = limit;
    }

    /** The queue bound that was reached. */
    public int limit() {
        return limit;
    }
}
