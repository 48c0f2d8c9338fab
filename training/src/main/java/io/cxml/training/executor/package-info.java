/**
 * What runs inside executor JVMs: the DJL/PyTorch settings every executor gets ({@link
 * io.cxml.training.executor.ExecutorSettings}, applied by {@link io.cxml.training.executor.CxmlSparkPlugin}), the
 * JVM-wide model cache (files copied once per version to an executor-local folder, the weights loaded once per JVM
 * and device, {@link io.cxml.training.executor.ModelCache}), per-task predictors fed in batches ({@link
 * io.cxml.training.executor.TaskScoring}) and evaluation as mergeable counts ({@link
 * io.cxml.training.executor.ExecutorEvaluation}). Batch inference's Spark ML transformers and training's evaluation
 * share these, so both score the same way; only aggregates travel back to the driver.
 */
package io.cxml.training.executor;
