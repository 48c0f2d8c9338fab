/**
 * Spark ML stages that run cxml's models on the executors: {@link io.cxml.runtime.stages.LanguageStage} (Lingua,
 * one detector per executor JVM) and {@link io.cxml.runtime.stages.TextClassifierStage} (an intent or sentiment
 * model from the registry, loaded once per executor JVM and model version, one predictor per task, batched). Both are
 * {@code MLWritable}/{@code MLReadable}, so a {@code PipelineModel} of them saves, loads and runs from any Spark job,
 * PySpark included (by class name).
 */
package io.cxml.runtime.stages;
