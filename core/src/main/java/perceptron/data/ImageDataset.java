package perceptron.data;

import perceptron.internal.kernels.BinaryOp;
import perceptron.internal.kernels.KernelOps;
import perceptron.tensor.Shape;

/**
 * Images kept as unsigned bytes (one byte per pixel, 4x less memory than floats: Fashion-MNIST's 60000 training
 * images take 47 MB) with class labels; pixels become floats in [0, 1] only when a batch is read.
 *
 * <p>A pixel p becomes {@code p / 255f}, exactly what torchvision's {@code ToTensor} computes
 * ({@code img.float().div(255)}). Multiplying by {@code 1f / 255} instead would differ in the last bit for 126
 * of the 256 byte values.
 *
 * <p>Features have shape {@code [channels, height, width]} ({@code [1, 28, 28]} for Fashion-MNIST); labels
 * have shape {@code []} and hold the class index as a float.
 */
public final class ImageDataset implements Dataset {
    private static final float[] DIVISOR = {255f};

    private final byte[] pixels;
    private final byte[] labels;
    private final int[] imageShape;
    private final int imageSize;
    private final int numClasses;

    /**
     * Wraps the arrays (no copy). {@code pixels} holds {@code labels.length} images of {@code imageShape}, row
     * after row; every label must be below {@code numClasses} (at most 256).
     */
    public ImageDataset(byte[] pixels, int[] imageShape, byte[] labels, int numClasses) {
        this.imageShape = Shape.check("ImageDataset", imageShape);
        this.imageSize = Shape.numel(this.imageShape);
        if ((long) labels.length * imageSize != pixels.length) {
            throw new IllegalArgumentException("ImageDataset: " + labels.length + " labels need "
                    + (long) labels.length * imageSize + " pixels of images " + Shape.toString(imageShape)
                    + ", got " + pixels.length);
        }
        if (numClasses < 1 || numClasses > 256) {
            throw new IllegalArgumentException("ImageDataset: numClasses must be 1 to 256, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= numClasses) {
                throw new IllegalArgumentException("ImageDataset: label " + (labels[i] & 0xff) + " of example " + i
                        + " is not below the number of classes, " + numClasses);
            }
        }
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int[] featureShape() {
        return imageShape.clone();
    }

    @Override
    public int[] labelShape() {
        return new int[0];
    }

    @Override
    public int featureSize() {
        return imageSize;
    }

    @Override
    public int labelSize() {
        return 1;
    }

    /** Number of classes; labels are 0 to numClasses - 1. */
    public int numClasses() {
        return numClasses;
    }

    /** The class index of example {@code index}. */
    public int label(int index) {
        return labels[checkIndex(index)] & 0xff;
    }

    /** The raw pixel value (0 to 255) at flat position {@code pixel} (row-major in the image) of an example. */
    public int pixel(int index, int pixel) {
        checkIndex(index);
        if (pixel < 0 || pixel >= imageSize) {
            throw new IndexOutOfBoundsException("pixel " + pixel + " is out of range for images of "
                    + Shape.toString(imageShape));
        }
        return pixels[index * imageSize + pixel] & 0xff;
    }

    @Override
    public void read(int index, float[] f, int fOff, float[] l, int lOff) {
        checkIndex(index);
        KernelOps k = KernelOps.get();
        k.bytesToFloats(pixels, index * imageSize, f, fOff, imageSize, 1f);
        k.binary(BinaryOp.DIV, f, fOff, 1, DIVISOR, 0, 0, f, fOff, imageSize);
        l[lOff] = labels[index] & 0xff;
    }
}
