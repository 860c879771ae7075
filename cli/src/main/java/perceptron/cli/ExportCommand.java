package perceptron.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import perceptron.nn.Layer;
import perceptron.nn.Sequential;
import perceptron.nn.Softmax;
import perceptron.onnx.Onnx;
import perceptron.train.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron export RUN --onnx FILE [--opset N] [--softmax]}: the trained model as an ONNX file. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a trained run as an ONNX model (for ONNX Runtime, TensorRT, OpenVINO, ...): input "
                + "'input' [batch, ...] with a free batch size, output 'logits' [batch, classes] (or "
                + "'probabilities' with --softmax). See docs/deploy.md."})
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run directory")
    Path runDir;

    @Option(names = "--onnx", paramLabel = "FILE", required = true, description = "the ONNX file to write")
    Path onnx;

    @Option(names = "--opset", paramLabel = "N",
            description = "ONNX opset, " + Onnx.MIN_OPSET + " to " + Onnx.MAX_OPSET + " (default: "
                    + Onnx.DEFAULT_OPSET + ", the first with native Gelu; older runtimes may need 17)")
    int opset = Onnx.DEFAULT_OPSET;

    @Option(names = "--softmax", description = "end the graph with a softmax: the output is probabilities")
    boolean softmax;

    @Override
    public Integer call() throws IOException {
        RunDirectory run = new RunDirectory(runDir);
        int[] inputShape = run.readDescription().spec().inputShape();
        Layer model = run.loadModel();
        if (softmax) {
            model = new Sequential(model, new Softmax(1));
        }
        if (opset < Onnx.MIN_OPSET || opset > Onnx.MAX_OPSET) {
            throw new UserException("--opset " + opset + " is not supported (choose " + Onnx.MIN_OPSET + " to "
                    + Onnx.MAX_OPSET + ")");
        }
        Onnx.write(model, inputShape, onnx, opset);
        String dims = Arrays.toString(inputShape).replace("[", "[batch, ");
        System.out.printf("wrote %s (%,d bytes): opset %d, input 'input' %s, output '%s'%n", onnx, Files.size(onnx),
                opset, dims, softmax ? "probabilities" : "logits");
        return 0;
    }
}
