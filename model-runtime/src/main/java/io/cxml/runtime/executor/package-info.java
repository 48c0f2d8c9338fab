/**
 * What runs inside executor JVMs: the DJL/PyTorch settings every executor gets ({@link
 * io.cxml.runtime.executor.ExecutorSettings}, applied by {@link io.cxml.runtime.CxmlSparkPlugin}), the
 * JVM-wide model cache (files copied once per version to an executor-local folder, the weights loaded once per JVM
 * and device, {@link io.cxml.runtime.executor.ModelCache}), per-task predictors fed in batches ({@link
 * io.cxml.runtime.executor.TaskScoring}) and the choice of device. The Spark ML stages ({@code io.cxml.runtime.stages})
 * run on these, and training's evaluation and batch scoring both run the stages, so they score the same way.
 */
package io.cxml.runtime.executor;

