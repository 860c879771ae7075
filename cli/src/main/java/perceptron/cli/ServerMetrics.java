package perceptron.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts by path and status code, and the latency of {@code POST /predict} (quantiles over the last
 * {@value #WINDOW} requests, plus sum and count since start), in the Prometheus text format. Recording takes a
 * short lock on the latency window only; inference itself never waits on it.
 */
final class ServerMetrics {
    static final int WINDOW = 4096;
    private static final double[] QUANTILES = {0.5, 0.9, 0.99};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder instances = new LongAdder();
    private final double[] window = new double[WINDOW];
    private long latencyCount;
    private double latencySum;

    void request(String path, int code) {
        requests.computeIfAbsent("path=\"" + path + "\",code=\"" + code + "\"", k -> new LongAdder()).increment();
    }

    /** A prediction request that answered 200: its latency and how many instances it classified. */
    void prediction(double seconds, int count) {
        instances.add(count);
        synchronized (window) {
            window[(int) (latencyCount % WINDOW)] = seconds;
            latencyCount++;
            latencySum += seconds;
        }
    }

    long totalRequests() {
        long n = 0;
        for (LongAdder a : requests.values()) {
            n += a.sum();
        }
        return n;
    }

    String prometheus() {
        double[] recent;
        long count;
        double sum;
        synchronized (window) {
            count = latencyCount;
            sum = latencySum;
            recent = Arrays.copyOf(window, (int) Math.min(count, WINDOW));
        }
        Arrays.sort(recent);
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP perceptron_requests_total HTTP requests answered, by path and status code.\n");
        sb.append("# TYPE perceptron_requests_total counter\n");
        new TreeMap<>(requests).forEach((labels, n) ->
                sb.append("perceptron_requests_total{").append(labels).append("} ").append(n.sum()).append('\n'));
        sb.append("# HELP perceptron_predictions_total Instances classified.\n");
        sb.append("# TYPE perceptron_predictions_total counter\n");
        sb.append("perceptron_predictions_total ").append(instances.sum()).append('\n');
        sb.append("# HELP perceptron_predict_latency_seconds Time to answer POST /predict with 200; quantiles over the "
                + "last " + WINDOW + " such requests.\n");
        sb.append("# TYPE perceptron_predict_latency_seconds summary\n");
        for (double q : QUANTILES) {
            String value = recent.length == 0 ? "NaN" : format(recent[(int) Math.ceil(q * recent.length) - 1]);
            sb.append("perceptron_predict_latency_seconds{quantile=\"").append(q).append("\"} ").append(value)
                    .append('\n');
        }
        sb.append("perceptron_predict_latency_seconds_sum ").append(format(sum)).append('\n');
        sb.append("perceptron_predict_latency_seconds_count ").append(count).append('\n');
        return sb.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
