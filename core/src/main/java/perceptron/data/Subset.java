package perceptron.data;

/** The examples of a dataset at given indices, without copying them; made by {@link Dataset#subset}. */
final class Subset implements Dataset {
    private final Dataset parent;
    private final int[] indices;

    Subset(Dataset parent, int[] indices) {
        this.parent = parent;
        this.indices = indices.clone();
        for (int i : this.indices) {
            parent.checkIndex(i);
        }
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public int[] featureShape() {
        return parent.featureShape();
    }

    @Override
    public int[] labelShape() {
        return parent.labelShape();
    }

    @Override
    public int featureSize() {
        return parent.featureSize();
    }

    @Override
    public int labelSize() {
        return parent.labelSize();
    }

    @Override
    public void read(int index, float[] features, int featuresOffset, float[] labels, int labelsOffset) {
        parent.read(indices[checkIndex(index)], features, featuresOffset, labels, labelsOffset);
    }
}
