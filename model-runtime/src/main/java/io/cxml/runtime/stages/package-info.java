/**
 * Spark ML stages that run cxml's models on the executors: {@link io.cxml.runtime.stages.LanguageStage} (one detector
 * per executor JVM), {@link io.cxml.runtime.stages.TextClassifierStage} (an intent or sentiment version, loaded once
 * per executor JVM and device, one predictor per task, batched) and {@link io.cxml.runtime.stages.RoutingStage}
 * (a routing version's per-tenant models). All of them run through one partition loop,
 * {@link io.cxml.runtime.stages.AppendColumns}; batch scoring runs them as one {@code PipelineModel}, and training
 * runs the same stages to evaluate text models and to build routing's intent input. They are {@code MLWritable} /
 * {@code MLReadable} from the JVM; PySpark loads them through the wrappers of {@code python/cxml_pyspark} (one per
 * stage here: a new stage needs its wrapper, which {@code python/tests/test_stages.py} checks).
 */
package io.cxml.runtime.stages;
