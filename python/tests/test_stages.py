"""The wrappers against the stages of the shaded jar: one per stage, keyword params that reach the JVM, the JVM's
defaults read back, and the save/load round trip."""

import zipfile

import cxml_pyspark
from cxml_pyspark import LanguageStage, TextClassifierStage
from cxml_pyspark.stages import JAVA_PACKAGE
from conftest import JAR


def test_every_stage_in_the_jar_has_a_wrapper(spark):
    jvm = spark.sparkContext._jvm
    prefix = JAVA_PACKAGE.replace(".", "/") + "/"
    with zipfile.ZipFile(JAR) as jar:
        names = [n[:-len(".class")].replace("/", ".") for n in jar.namelist()
                 if n.startswith(prefix) and n.endswith(".class") and "$" not in n]
    transformer = jvm.java.lang.Class.forName("org.apache.spark.ml.Transformer")
    writable = jvm.java.lang.Class.forName("org.apache.spark.ml.util.MLWritable")
    abstract = jvm.java.lang.reflect.Modifier.ABSTRACT
    stages = set()
    for name in names:
        clazz = jvm.java.lang.Class.forName(name)
        if (transformer.isAssignableFrom(clazz) and writable.isAssignableFrom(clazz)
                and not clazz.getModifiers() & abstract):
            stages.add(name.rsplit(".", 1)[1])

    assert stages == {"LanguageStage", "EmbeddingStage", "TextClassifierStage", "RoutingStage"}
    assert stages <= set(cxml_pyspark.__all__)


def test_keyword_params_reach_the_jvm_and_the_jvm_defaults_come_back(spark):
    stage = TextClassifierStage(inputCol="body", modelUri="file:/models/intent/v3/model", topK=2, calibrated=False)
    stage._transfer_params_to_java()
    java = stage._java_obj

    assert java.getOrDefault(java.getParam("topK")) == 2
    assert java.getOrDefault(java.getParam("inputCol")) == "body"
    assert java.getOrDefault(java.getParam("calibrated")) is False
    assert stage.getOrDefault("batchSize") == java.getOrDefault(java.getParam("batchSize"))
    assert stage.getOrDefault("outputPrefix") == "intent"
    assert java.uid() == stage.uid


def test_a_stage_saves_and_loads_with_its_uid_and_params(spark, tmp_path):
    stage = LanguageStage(inputCol="body", outputPrefix="lang", languages=["en", "de"])
    stage.save(str(tmp_path / "stage"))

    loaded = LanguageStage.load(str(tmp_path / "stage"))

    assert type(loaded) is LanguageStage
    assert loaded.uid == stage.uid
    assert loaded.getOrDefault("languages") == ["en", "de"]
    assert loaded.getOrDefault("outputPrefix") == "lang"
