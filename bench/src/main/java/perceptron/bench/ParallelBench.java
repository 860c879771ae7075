package perceptron.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import perceptron.kernels.Parallel;

/** The cost of one dispatch: {@link Parallel#forEach} of tasks that do (almost) nothing, in ns per call. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ParallelBench {
    @Param({"1", "2"})
    public int threads;

    private final AtomicLongArray hits = new AtomicLongArray(64);

    @Setup
    public void setUp() {
        Parallel.setThreads(threads);
    }

    @Benchmark
    public long dispatchFourTasks() {
        Parallel.forEach(4, t -> hits.incrementAndGet(t * 16));
        return hits.get(0);
    }
}
