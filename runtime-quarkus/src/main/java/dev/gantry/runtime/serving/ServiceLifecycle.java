package dev.gantry.runtime.serving;

import dev.gantry.runtime.rest.OpenAiException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Where the service stands: loading its model, serving it, draining, failed, or stopped. The HTTP server is up
 * from the start so that probes can see the difference; requests get 503 until the model is loaded, and again
 * from SIGTERM on, while the requests already running finish.
 */
@ApplicationScoped
public class ServiceLifecycle {

    private static final Logger LOG = Logger.getLogger(ServiceLifecycle.class);

    /** The service's states, in the order they occur. */
    public enum State {
        /** The model is being opened and wired. */
        LOADING,
        /** Requests are served. */
        READY,
        /** SIGTERM arrived: new requests get 503, running ones finish (within {@code gantry.drain-timeout}). */
        DRAINING,
        /** Loading failed; the process is exiting. */
        FAILED,
        /** The service is shutting down; the engine is closed or closing. */
        STOPPED
    }

    private volatile State state = State.LOADING;
    private volatile ServedModel served;
    private volatile String failure;

    /** The current state. */
    public State state() {
        return state;
    }

    /** The served model while its engine runs (also while draining). */
    public Optional<ServedModel> served() {
        State s = state;
        return s == State.READY || s == State.DRAINING ? Optional.ofNullable(served) : Optional.empty();
    }

    /** Why loading failed, when it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The served model, for a request.
     *
     * @throws OpenAiException 503 while the model loads, from SIGTERM on, or when loading failed
     */
    public ServedModel requireServed() {
        ServedModel m = served;
        return switch (state) {
            case READY -> m;
            case LOADING -> throw OpenAiException.unavailable("the model is still loading; retry shortly");
            case DRAINING -> throw OpenAiException.unavailable("the service is shutting down; retry on another"
                    + " instance");
            case FAILED -> throw OpenAiException.unavailable("the model could not be loaded: " + failure);
            case STOPPED -> throw OpenAiException.unavailable("the service is shutting down");
        };
    }

    /**
     * Called once the engine runs. An engine that finishes loading after shutdown began is closed at once.
     *
     * @return whether the model is now served
     */
    synchronized boolean ready(ServedModel model) {
        if (state == State.STOPPED || state == State.DRAINING) {
            model.engine().close();
            return false;
        }
        served = model;
        state = State.READY;
        return true;
    }

    /** Called when SIGTERM arrives: refuse new requests, let running ones finish. */
    synchronized void drain() {
        if (state == State.READY || state == State.LOADING) {
            state = State.DRAINING;
            LOG.info("draining: new requests get 503; running requests may finish");
        }
    }

    /** Called when loading failed. */
    synchronized void failed(String reason) {
        failure = reason;
        if (state != State.STOPPED) {
            state = State.FAILED;
        }
    }

    /** Stops serving and closes the engine (requests still running end with an error). */
    synchronized void stop() {
        state = State.STOPPED;
        ServedModel m = served;
        served = null;
        if (m != null) {
            try {
                m.engine().close();
            } catch (RuntimeException e) {
                LOG.warn("closing the engine failed", e);
            }
        }
    }
}
