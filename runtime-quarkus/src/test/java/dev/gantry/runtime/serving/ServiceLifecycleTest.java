package dev.gantry.runtime.serving;

import dev.gantry.runtime.rest.OpenAiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests get 503 while the model loads, after loading failed, while draining and once stopped. */
class ServiceLifecycleTest {

    @Test
    void requestsWaitForTheModel() {
        ServiceLifecycle lifecycle = new ServiceLifecycle();
        assertEquals(ServiceLifecycle.State.LOADING, lifecycle.state());
        OpenAiException e = assertThrows(OpenAiException.class, lifecycle::requireServed);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("loading"));
        assertTrue(lifecycle.served().isEmpty());
    }

    @Test
    void aFailedLoadIsReported() {
        ServiceLifecycle lifecycle = new ServiceLifecycle();
        lifecycle.failed("bad tensor");
        OpenAiException e = assertThrows(OpenAiException.class, lifecycle::requireServed);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("bad tensor"));
        assertEquals("bad tensor", lifecycle.failure().orElseThrow());
    }

    @Test
    void drainingRefusesNewRequests() {
        ServiceLifecycle lifecycle = new ServiceLifecycle();
        lifecycle.drain();
        assertEquals(ServiceLifecycle.State.DRAINING, lifecycle.state());
        OpenAiException e = assertThrows(OpenAiException.class, lifecycle::requireServed);
        assertEquals(503, e.status());
        assertTrue(e.getMessage().contains("shutting down"));
        lifecycle.stop();
        assertEquals(ServiceLifecycle.State.STOPPED, lifecycle.state());
        assertEquals(503, assertThrows(OpenAiException.class, lifecycle::requireServed).status());
    }
}
