"""Scoring sample tickets from PySpark gives what the Java path gives: a pipeline built and saved by the JVM loads in
PySpark with `PipelineModel.load` and scores the same rows alike, and a pipeline built from Python with keyword params
scores the tickets as `cxml score` did."""

import pathlib

import pytest
from pyspark.ml import PipelineModel
from pyspark.sql import DataFrame, functions as F

import cxml_pyspark  # noqa: F401  (registers the stages where PySpark's loader looks for them)
from cxml_pyspark import LanguageStage, TextClassifierStage
from conftest import PROJECT, cxml

FROM, TO = "2026-01-01", "2026-01-04"
CONFIDENCE_TOLERANCE = 1e-6  # the models' last float bits depend on which rows share a batch


@pytest.fixture(scope="module")
def scored_root(tmp_path_factory, spark) -> pathlib.Path:
    """Sample tickets ingested, an intent model trained and the tickets scored with it, by bin/cxml (the Java path)."""
    root = tmp_path_factory.mktemp("cxml-root")
    cxml(root, "pipeline", "--sample", "--tickets", "600", "--accounts", "2", "--days", "3", "--seed", "7")
    cxml(root, "train", "intent")
    cxml(root, "score", "--from", FROM, "--to", TO, "--model", "intent=intent@v1", "--model", "sentiment=none",
         "--model", "routing=none")
    return root


def model_uri(root: pathlib.Path) -> str:
    return (root / "models" / "intent" / "v1" / "model").as_uri()


def tickets(spark, root: pathlib.Path) -> DataFrame:
    return (spark.read.parquet(str(root / "curated" / "interactions"))
            .where((F.col("created_at") >= F.lit(FROM).cast("timestamp"))
                   & (F.col("created_at") < F.lit(TO).cast("timestamp")))
            .select("ticket_id", "text"))


def scoring_languages(spark) -> list:
    """cxml.features.languages of conf/application.conf, read by the jar's own HOCON parser."""
    jvm = spark.sparkContext._jvm
    conf = jvm.io.cxml.shaded.typesafe.config.ConfigFactory.parseFile(
        jvm.java.io.File(str(PROJECT / "conf" / "application.conf"))).resolve()
    return list(conf.getStringList("cxml.features.languages"))


def test_a_pipeline_saved_by_the_jvm_loads_in_pyspark_and_scores_alike(spark, scored_root, tmp_path):
    jvm = spark.sparkContext._jvm
    stages = spark.sparkContext._gateway.new_array(jvm.org.apache.spark.ml.Transformer, 2)
    stages[0] = jvm.io.cxml.runtime.stages.LanguageStage().setInputCol("text")
    stages[1] = (jvm.io.cxml.runtime.stages.TextClassifierStage().setInputCol("text")
                 .setModelUri(model_uri(scored_root)).setModelLabel("intent@v1").setTopK(2))
    java_pipeline = jvm.org.apache.spark.ml.PipelineModel("cxmlJavaSaved", stages)
    path = str(tmp_path / "pipeline")
    java_pipeline.write().overwrite().save(path)
    rows = tickets(spark, scored_root).limit(120).cache()

    loaded = PipelineModel.load(path)
    from_python = loaded.transform(rows).orderBy("ticket_id").collect()
    from_java = DataFrame(java_pipeline.transform(rows._jdf), spark).orderBy("ticket_id").collect()

    assert [type(s) for s in loaded.stages] == [LanguageStage, TextClassifierStage]
    assert loaded.stages[1].getOrDefault("modelUri") == model_uri(scored_root)
    assert loaded.stages[1].getOrDefault("topK") == 2
    assert len(from_python) == 120
    assert from_python == from_java


def test_a_pipeline_built_in_python_scores_the_tickets_as_cxml_score_did(spark, scored_root, tmp_path):
    pipeline = PipelineModel(stages=[
        LanguageStage(inputCol="text", outputPrefix="language", languages=scoring_languages(spark)),
        TextClassifierStage(inputCol="text", outputPrefix="intent", modelUri=model_uri(scored_root),
                            modelLabel="intent@v1"),
    ])
    pipeline.write().overwrite().save(str(tmp_path / "python-built"))  # a Python-built pipeline saves as Java's
    reloaded = PipelineModel.load(str(tmp_path / "python-built"))

    ours = reloaded.transform(tickets(spark, scored_root)).select(
        "ticket_id", F.col("language").alias("py_language"), F.col("intent").alias("py_intent"),
        F.col("intent_confidence").alias("py_confidence"))
    java = spark.read.parquet(str(scored_root / "scored" / "tickets")).select(
        "ticket_id", "language", "intent", "intent_confidence")
    both = java.join(ours, "ticket_id", "full_outer").collect()

    assert len(both) == 600
    assert all(r.intent is not None and r.py_intent is not None for r in both)
    assert [r.ticket_id for r in both if r.language != r.py_language] == []
    assert [r.ticket_id for r in both if r.intent != r.py_intent] == []
    assert max(abs(r.intent_confidence - r.py_confidence) for r in both) < CONFIDENCE_TOLERANCE
