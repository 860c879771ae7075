package perceptron.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an ONNX model in ONNX Runtime (the real one, from Maven Central) on a float batch. */
final class OnnxRuntime {
    private OnnxRuntime() {
    }

    /** The model's one output for {@code input} of the given shape, flattened row-major. */
    static float[] run(byte[] model, float[] input, long... shape) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                 OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                 OrtSession.Result result = session.run(Map.of(Onnx.INPUT_NAME, x))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                FloatBuffer b = out.getFloatBuffer();
                float[] values = new float[b.remaining()];
                b.get(values);
                return values;
            }
        }
    }
}
