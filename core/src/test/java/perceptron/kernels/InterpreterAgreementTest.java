package perceptron.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kernels give the same bits interpreted ({@code -Xint}) as compiled by C2: otherwise a training run would
 * depend on when the JIT compiled which loop, and a seed would not reproduce it. (The Vector API's own exp and
 * reduceLanes(ADD) did not: see VectorMath.)
 */
class InterpreterAgreementTest {

    @Test
    void interpretedAndCompiledKernelsAgreeBitForBit() throws IOException, InterruptedException {
        long compiled = KernelFingerprint.compute(3000);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xint");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            cmd.add("--add-modules");
            cmd.add("jdk.incubator.vector");
        }
        cmd.add("-Dperceptron.kernels=" + Kernels.get().name());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KernelFingerprint.class.getName());
        cmd.add("1");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), err);
        assertEquals(Long.toString(compiled), out, "kernels " + Kernels.get().name() + ": interpreted run differs");
    }
}
