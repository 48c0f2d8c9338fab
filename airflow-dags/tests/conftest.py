"""Test isolation: a throw-away AIRFLOW_HOME with its own SQLite metadata database, set before Airflow loads."""

from __future__ import annotations

import os
import pathlib
import tempfile

_home = pathlib.Path(tempfile.mkdtemp(prefix="cxml-airflow-"))
os.environ["AIRFLOW_HOME"] = str(_home)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__UNIT_TEST_MODE"] = "True"
# No usage data to Scarf (apacheairflow.gateway.scarf.sh), whatever the Airflow default (docs/offline.md).
os.environ["AIRFLOW__USAGE_DATA_COLLECTION__ENABLED"] = "False"
os.environ["SCARF_ANALYTICS"] = "false"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(pathlib.Path(__file__).resolve().parents[1])
# The jobs these tests spark-submit run without the default base encoder (hashed models), as the Java tests do
# (surefire sets the same): multilingual-e5 does not fit spark-submit's default 1 GB driver and would cost minutes.
os.environ.setdefault("CXML_EMBEDDINGS_ENCODER", "none")
