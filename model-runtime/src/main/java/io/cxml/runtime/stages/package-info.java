/**
 * Spark ML stages that run cxml's models on the executors: {@link io.cxml.runtime.stages.LanguageStage} (one detector
 * per executor JVM), {@link io.cxml.runtime.stages.TextClassifierStage} (an intent or sentiment version, loaded once
 * per executor JVM and device, one predictor per task, batched) and {@link io.cxml.runtime.stages.RoutingStage}
 * (a routing version's per-tenant models). All of them run through one partition loop,
 * {@link io.cxml.runtime.stages.AppendColumns}; batch scoring runs them as one {@code PipelineModel}, and training
 * runs the same stages to evaluate text models and to build routing's intent input. They are {@code MLWritable} /
 * {@code MLReadable} from the JVM; PySpark needs Python classes of the same names to load them (not provided yet).
 */
package io.cxml.runtime.stages;
