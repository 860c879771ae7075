package perceptron.tensor;

/**
 * Element types. FLOAT32 is the default for training; FLOAT64 is for gradient checks and exact analysis.
 *
 * <p>Mixing the two promotes to FLOAT64, as in PyTorch and NumPy. Java scalars ({@code x.mul(2.0)}) never
 * change a tensor's dtype, also as in PyTorch.
 */
public enum DType {
    FLOAT32(4),
    FLOAT64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype of a result that combines {@code a} and {@code b}: the wider of the two. */
    public static DType promote(DType a, DType b) {
        return (a == FLOAT64 || b == FLOAT64) ? FLOAT64 : FLOAT32;
    }

    /** Lower-case name as PyTorch prints it ({@code float32}). */
    public String displayName() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
