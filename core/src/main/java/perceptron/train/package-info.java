/**
 * Training: the {@link perceptron.train.Trainer} loop with callbacks and progress display, metrics, model and
 * training settings as stored in model.json, and {@link perceptron.train.RunDirectory} (checkpoints that survive a
 * crash, resume). May import everything in core except analysis. Raw arrays through {@code
 * perceptron.internal.tensor}.
 */
package perceptron.train;
