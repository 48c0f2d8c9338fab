"""PySpark wrappers of cxml's Spark ML stages (see docs/scoring.md, "PySpark").

PySpark loads a saved stage by importing the Python module named like the stage's Java package
(``pyspark.ml.wrapper.JavaParams._from_java`` imports ``io.cxml.runtime.stages`` for
``io.cxml.runtime.stages.LanguageStage``). ``io`` is Python's standard I/O module and cannot hold a subpackage, so
importing this package registers :mod:`cxml_pyspark.stages` under that name in ``sys.modules``, where the import
finds it first. Import ``cxml_pyspark`` before ``PipelineModel.load``.
"""

import sys

from cxml_pyspark import stages
from cxml_pyspark.stages import EmbeddingStage, LanguageStage, RoutingStage, TextClassifierStage

__version__ = "0.1.0.dev0"
__all__ = ["EmbeddingStage", "LanguageStage", "RoutingStage", "TextClassifierStage", "__version__"]

sys.modules.setdefault(stages.JAVA_PACKAGE, stages)
