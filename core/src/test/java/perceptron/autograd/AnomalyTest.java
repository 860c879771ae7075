package perceptron.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import perceptron.tensor.Tensor;

/** Anomaly mode: the backward pass stops at the first op whose gradient is NaN or infinite and says where it was made. */
class AnomalyTest {

    @AfterEach
    void off() {
        Autograd.detectAnomaly(false);
    }

    private static int line() {
        return new Throwable().getStackTrace()[1].getLineNumber();
    }

    @Test
    void backwardFailsAtTheFirstBadOpNamingItAndTheUsersLine() {
        Autograd.detectAnomaly(true);
        assertTrue(Autograd.isAnomalyEnabled());
        Tensor x = Tensor.of(0.0, 4.0).requiresGrad();
        Tensor y = x.sqrt(); int sqrtLine = line();
        Tensor loss = y.mul(2.0).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        String m = e.getMessage();
        assertTrue(m.contains("Function 'SqrtBackward' returned nan or infinite values in its 0th output"), m);
        assertTrue(m.contains("AnomalyTest.java:" + sqrtLine), m);
        assertTrue(m.contains("backwardFailsAtTheFirstBadOpNamingItAndTheUsersLine"), m);
    }

    @Test
    void theFirstOpProducingNanIsBlamedNotTheOnesAfterIt() {
        Autograd.detectAnomaly(true);
        Tensor x = Tensor.of(-1.0, 2.0).requiresGrad();
        Tensor l = x.log(); int logLine = line();         // log(-1) = NaN forward; its gradient 1/x is fine
        Tensor z = l.mul(0.0).add(x.sqrt()).sum(); int sqrtLine = line();
        IllegalStateException e = assertThrows(IllegalStateException.class, z::backward);
        // sqrt(-1) is NaN and its gradient 1 / (2 sqrt x) is NaN: SqrtBackward is the first to return NaN.
        assertTrue(e.getMessage().contains("SqrtBackward"), e.getMessage());
        assertTrue(e.getMessage().contains("AnomalyTest.java:" + sqrtLine), e.getMessage());
        assertFalse(e.getMessage().contains("AnomalyTest.java:" + logLine), e.getMessage());
    }

    @Test
    void withoutAnomalyModeNanGradientsPassSilently() {
        Tensor x = Tensor.of(0.0).requiresGrad();
        x.sqrt().sum().backward();
        assertEquals(Double.POSITIVE_INFINITY, x.grad().item());
    }

    @Test
    void opsCreatedBeforeAnomalyModeWasOnSayTheirOriginIsUnknown() {
        Tensor x = Tensor.of(0.0).requiresGrad();
        Tensor y = x.sqrt().sum();
        Autograd.detectAnomaly(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("anomaly detection was off when it was created"), e.getMessage());
    }
}
