"""One wrapper per cxml Spark ML stage (``io.cxml.runtime.stages``), in the pattern of ``pyspark.ml.feature``.

The JVM stage holds the behaviour, the defaults and the persistence; a wrapper declares the same Params so that they
can be set by keyword, read back, and carried to and from the JVM. A stage of the cxml jar without a wrapper here
cannot be loaded from PySpark: ``tests/test_stages.py`` fails when the jar has a stage this module lacks.
"""

from typing import Any, List, Optional

from pyspark import keyword_only
from pyspark.ml.param import Param, Params, TypeConverters
from pyspark.ml.util import JavaMLReadable, JavaMLReader, JavaMLWritable
from pyspark.ml.wrapper import JavaTransformer

#: The Java package of the stages; PySpark imports it as a Python module (see cxml_pyspark/__init__.py).
JAVA_PACKAGE = "io.cxml.runtime.stages"


class _CxmlReader(JavaMLReader):
    """Loads a saved stage with the JVM reader of the wrapper's Java class (PySpark would derive it from the module)."""

    @classmethod
    def _java_loader_class(cls, clazz: Any) -> str:
        return JAVA_PACKAGE + "." + clazz.__name__


class _TextColumnStage(JavaTransformer, JavaMLReadable, JavaMLWritable):
    """What every cxml stage shares (Java: ``TextColumnStage``): a string input column and an output prefix."""

    inputCol = Param(Params._dummy(), "inputCol", "text column", typeConverter=TypeConverters.toString)
    outputPrefix = Param(Params._dummy(), "outputPrefix", "prefix of the output columns",
                         typeConverter=TypeConverters.toString)

    def __init__(self) -> None:
        super().__init__()
        self._java_obj = self._new_java_obj(JAVA_PACKAGE + "." + type(self).__name__, self.uid)
        # the JVM stage owns the defaults: copy them, so getOrDefault answers what the stage will use
        self._transfer_params_from_java()

    @classmethod
    def read(cls) -> JavaMLReader:
        return _CxmlReader(cls)

    def _apply(self, kwargs: dict) -> "_TextColumnStage":
        return self._set(**{k: v for k, v in kwargs.items() if v is not None})


class LanguageStage(_TextColumnStage):
    """Detects each text's language among ``languages`` (ISO 639-1); adds ``<prefix>`` and ``<prefix>_confidence``."""

    languages = Param(Params._dummy(), "languages", "ISO 639-1 codes the detector may answer",
                      typeConverter=TypeConverters.toListString)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                 languages: Optional[List[str]] = None) -> None:
        super().__init__()
        self._apply(self._input_kwargs)

    @keyword_only
    def setParams(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                  languages: Optional[List[str]] = None) -> "LanguageStage":
        return self._apply(self._input_kwargs)


class EmbeddingStage(_TextColumnStage):
    """Embeds each text with a frozen base encoder (Hugging Face folder) on the executors."""

    encoderLocation = Param(Params._dummy(), "encoderLocation", "the base encoder's Hugging Face folder",
                            typeConverter=TypeConverters.toString)
    encoderName = Param(Params._dummy(), "encoderName", "the base encoder's name (logs)",
                        typeConverter=TypeConverters.toString)
    encoderChecksum = Param(Params._dummy(), "encoderChecksum", "SHA-256 of the folder's files",
                            typeConverter=TypeConverters.toString)
    maxTokens = Param(Params._dummy(), "maxTokens", "most tokens per text", typeConverter=TypeConverters.toInt)
    batchSize = Param(Params._dummy(), "batchSize", "rows per encoder call inside a task",
                      typeConverter=TypeConverters.toInt)
    device = Param(Params._dummy(), "device", "auto, cpu or gpu", typeConverter=TypeConverters.toString)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                 encoderLocation: Optional[str] = None, encoderName: Optional[str] = None,
                 encoderChecksum: Optional[str] = None, maxTokens: Optional[int] = None,
                 batchSize: Optional[int] = None, device: Optional[str] = None) -> None:
        super().__init__()
        self._apply(self._input_kwargs)

    @keyword_only
    def setParams(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                  encoderLocation: Optional[str] = None, encoderName: Optional[str] = None,
                  encoderChecksum: Optional[str] = None, maxTokens: Optional[int] = None,
                  batchSize: Optional[int] = None, device: Optional[str] = None) -> "EmbeddingStage":
        return self._apply(self._input_kwargs)


class TextClassifierStage(_TextColumnStage):
    """Runs an intent or sentiment version of the registry; adds the label, its confidence and the top k."""

    modelUri = Param(Params._dummy(), "modelUri", "model directory of a registry version (local or s3a://)",
                     typeConverter=TypeConverters.toString)
    modelLabel = Param(Params._dummy(), "modelLabel", "readable model version, e.g. intent@v3",
                       typeConverter=TypeConverters.toString)
    batchSize = Param(Params._dummy(), "batchSize", "texts per predictor call", typeConverter=TypeConverters.toInt)
    topK = Param(Params._dummy(), "topK", "labels listed in <prefix>_top_k", typeConverter=TypeConverters.toInt)
    device = Param(Params._dummy(), "device", "auto, cpu or gpu", typeConverter=TypeConverters.toString)
    probabilitiesCol = Param(Params._dummy(), "probabilitiesCol", "column of every label's probability, '' for none",
                             typeConverter=TypeConverters.toString)
    calibrated = Param(Params._dummy(), "calibrated", "predict with the model's calibration temperature",
                       typeConverter=TypeConverters.toBoolean)
    encoderLocation = Param(Params._dummy(), "encoderLocation", "for a head on embeddings: its base encoder's folder",
                            typeConverter=TypeConverters.toString)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                 modelUri: Optional[str] = None, modelLabel: Optional[str] = None, batchSize: Optional[int] = None,
                 topK: Optional[int] = None, device: Optional[str] = None, probabilitiesCol: Optional[str] = None,
                 calibrated: Optional[bool] = None, encoderLocation: Optional[str] = None) -> None:
        super().__init__()
        self._apply(self._input_kwargs)

    @keyword_only
    def setParams(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                  modelUri: Optional[str] = None, modelLabel: Optional[str] = None, batchSize: Optional[int] = None,
                  topK: Optional[int] = None, device: Optional[str] = None, probabilitiesCol: Optional[str] = None,
                  calibrated: Optional[bool] = None,
                  encoderLocation: Optional[str] = None) -> "TextClassifierStage":
        return self._apply(self._input_kwargs)


class RoutingStage(_TextColumnStage):
    """Routes each ticket with its tenant's model of a routing version; adds the team, its confidence and the top 3."""

    modelUri = Param(Params._dummy(), "modelUri", "model directory of a routing version (local or s3a://)",
                     typeConverter=TypeConverters.toString)
    modelLabel = Param(Params._dummy(), "modelLabel", "readable version, e.g. routing@v3",
                       typeConverter=TypeConverters.toString)
    activeTeamsCol = Param(Params._dummy(), "activeTeamsCol", "column of the tenant's current teams, '' for none",
                           typeConverter=TypeConverters.toString)
    intentLabels = Param(Params._dummy(), "intentLabels", "labels of the intent model that produced the probabilities",
                         typeConverter=TypeConverters.toListString)

    @keyword_only
    def __init__(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                 modelUri: Optional[str] = None, modelLabel: Optional[str] = None,
                 activeTeamsCol: Optional[str] = None, intentLabels: Optional[List[str]] = None) -> None:
        super().__init__()
        self._apply(self._input_kwargs)

    @keyword_only
    def setParams(self, *, inputCol: Optional[str] = None, outputPrefix: Optional[str] = None,
                  modelUri: Optional[str] = None, modelLabel: Optional[str] = None,
                  activeTeamsCol: Optional[str] = None, intentLabels: Optional[List[str]] = None) -> "RoutingStage":
        return self._apply(self._input_kwargs)
