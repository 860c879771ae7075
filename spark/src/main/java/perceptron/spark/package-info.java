/**
 * perceptron on Apache Spark: spark.ml estimators and models ({@link perceptron.spark.PerceptronClassifier},
 * {@link perceptron.spark.PerceptronRegressor}) trained by synchronous data-parallel SGD in barrier stages.
 * Uses only core's public API; Spark is a provided dependency. Everything run inside an executor is safe to
 * call from several task threads at once.
 */
package perceptron.spark;
