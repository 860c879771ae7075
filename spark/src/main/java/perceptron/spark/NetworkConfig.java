package perceptron.spark;

import java.io.Serializable;
import java.util.Map;
import perceptron.io.Json;
import perceptron.train.ModelSpec;
import perceptron.train.TrainingSettings;

/**
 * What executors need to rebuild and train the network: the architecture and the training settings, carried as
 * the JSON of model.json (core's records are not Serializable, and this way Spark and a run directory describe a
 * model with the same words).
 */
final class NetworkConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String specJson;
    private final String settingsJson;
    final boolean classification;

    NetworkConfig(ModelSpec spec, TrainingSettings settings, boolean classification) {
        this.specJson = Json.write(spec.toJson());
        this.settingsJson = Json.write(settings.toJson());
        this.classification = classification;
    }

    @SuppressWarnings("unchecked")
    ModelSpec spec() {
        return ModelSpec.fromJson((Map<String, Object>) Json.parse(specJson));
    }

    @SuppressWarnings("unchecked")
    TrainingSettings settings() {
        return TrainingSettings.fromJson((Map<String, Object>) Json.parse(settingsJson));
    }
}
