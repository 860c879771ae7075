package perceptron.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static perceptron.tensor.TensorAssert.assertFails;

import org.junit.jupiter.api.Test;

/** Workspace scopes: memory is reused from one step to the next, and tensors from a closed scope fail loudly. */
class WorkspaceTest {

    @Test
    void storageIsReusedByTheNextScope() {
        Workspace ws = new Workspace();
        float[] first;
        try (Workspace.Scope s = ws.enter()) {
            assertSame(ws, Workspace.current());
            first = Tensor.ones(1000).mul(2.0).floatData();
        }
        assertNull(Workspace.current());
        long allocated = ws.bytesAllocated();
        try (Workspace.Scope s = ws.enter()) {
            Tensor a = Tensor.ones(1000);
            Tensor b = a.mul(2.0);
            assertTrue(a.floatData() == first || b.floatData() == first, "an array of the same size is reused");
            assertEquals(2.0, b.get(999));
        }
        assertEquals(allocated, ws.bytesAllocated(), "a steady-state step allocates nothing new");
    }

    @Test
    void tensorsFromAClosedScopeFailWithAClearMessage() {
        Workspace ws = new Workspace();
        Tensor escaped;
        Tensor kept;
        try (Workspace.Scope s = ws.enter()) {
            escaped = Tensor.ones(4).add(1.0);
            kept = escaped.copyToHeap();
        }
        assertFails(IllegalStateException.class, escaped::toFloatArray,
                "allocated inside a Workspace scope that has closed", ".copy");
        assertFails(IllegalStateException.class, () -> escaped.get(0), "Workspace scope that has closed");
        assertFails(IllegalStateException.class, () -> escaped.select(0, 0).item(), "Workspace scope");
        assertFails(IllegalStateException.class, escaped::toString, "Workspace scope");
        assertFails(IllegalStateException.class, () -> escaped.add(1.0), "Workspace scope");
        assertTrue(escaped.storage().isReleased());
        assertEquals(2.0, kept.get(3), "copyToHeap keeps a tensor beyond the scope");
    }

    @Test
    void gradientsOfParametersSurviveTheScope() {
        Workspace ws = new Workspace();
        Tensor w = Tensor.of(1f, 2f).requiresGrad();
        try (Workspace.Scope s = ws.enter()) {
            w.mul(w).sum().backward();
        }
        assertEquals(4.0, w.grad().get(1), "gradients are heap memory");
        try (Workspace.Scope s = ws.enter()) {
            w.mul(w).sum().backward();
        }
        assertEquals(8.0, w.grad().get(1));
    }

    @Test
    void scopesNestAndAWorkspaceOpensOnce() {
        Workspace outer = new Workspace();
        Workspace inner = new Workspace();
        try (Workspace.Scope a = outer.enter()) {
            assertFails(IllegalStateException.class, outer::enter, "Workspace.enter: this workspace already has an open scope");
            try (Workspace.Scope b = inner.enter()) {
                assertSame(inner, Workspace.current());
            }
            assertSame(outer, Workspace.current());
        }
        assertNull(Workspace.current());
    }
}
