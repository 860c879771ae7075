package perceptron.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import perceptron.data.FashionMnist;
import perceptron.data.ImageDataset;
import perceptron.nn.Layer;
import perceptron.train.ModelSpec;
import perceptron.train.RunDirectory;

/** Loading a trained run and the data it is used on, with the checks every command needs before the work. */
final class Runs {
    private Runs() {
    }

    /** A run's description and its model, loaded in eval mode. */
    record Loaded(RunDirectory run, ModelSpec spec, Layer model) {
    }

    /** Reads the description, checks that the model fits in memory, then loads the weights. */
    static Loaded load(Path dir) throws IOException {
        RunDirectory run = new RunDirectory(dir);
        ModelSpec spec = run.readDescription().spec();
        Memory.checkLoading(spec);
        return new Loaded(run, spec, run.loadModel());
    }

    /**
     * Refuses a data set the model cannot read: no images, or images of another size than the model's input
     * (which would otherwise end in a shape error of the first linear layer, naming no file).
     */
    static void requireFits(ImageDataset images, String split, FashionMnist data, ModelSpec spec) {
        if (images.size() == 0) {
            throw new UserException("the " + split + " set in " + data.directory() + " holds no images");
        }
        int features = 1;
        for (int d : images.featureShape()) {
            features *= d;
        }
        if (features != spec.inputFeatures()) {
            throw new UserException("the " + split + " images in " + data.directory() + " are "
                    + shape(images.featureShape()) + " (" + features + " pixels), but the model takes "
                    + shape(spec.inputShape()) + " (" + spec.inputFeatures() + ")");
        }
    }

    static String shape(int[] shape) {
        int from = shape.length == 3 && shape[0] == 1 ? 1 : 0;
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < shape.length; i++) {
            sb.append(i == from ? "" : "x").append(shape[i]);
        }
        return shape.length == 0 ? Arrays.toString(shape) : sb.toString();
    }
}
