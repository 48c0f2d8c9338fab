"""`dag.test()` of the ingest DAG for one logical day: Airflow renders the task, the Spark provider runs a real
`spark-submit` of the shaded jar (pyspark's, local mode) and the day lands in curated/interactions."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pendulum
import pytest

PROJECT = pathlib.Path(__file__).resolve().parents[2]
JAR = PROJECT / "jobs" / "target" / "cxml.jar"
SPARK_SUBMIT = PROJECT / ".venv" / "bin" / "spark-submit"


@pytest.fixture()
def sample_root(tmp_path: pathlib.Path) -> pathlib.Path:
    if not JAR.exists() or not SPARK_SUBMIT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{JAR} and {SPARK_SUBMIT} are needed: run ./setup.sh")
        pytest.skip("needs the built jar and .venv/bin/spark-submit: run ./setup.sh")
    root = tmp_path / "cxml"
    subprocess.run(
        [str(PROJECT / "bin" / "cxml"), "generate-sample", "--tickets", "1500", "--accounts", "4", "--days", "3",
         "--start-date", "2026-01-01", "--conf", f"cxml.storage.root={root}"],
        check=True, capture_output=True, timeout=600,
    )
    return root


def test_ingest_dag_runs_the_job_for_its_logical_day(sample_root: pathlib.Path, monkeypatch) -> None:
    from airflow.utils.db import initdb
    from airflow.utils.state import DagRunState

    monkeypatch.setenv("PATH", f"{SPARK_SUBMIT.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(sample_root))  # prod.conf reads the root from here
    monkeypatch.setenv("AIRFLOW_CONN_SPARK_DEFAULT",
                       '{"conn_type": "spark", "host": "local[2]", "extra": {"deploy-mode": "client"}}')
    initdb()
    import importlib
    import cxml_common
    import cxml_ingest

    monkeypatch.setattr(cxml_common, "CXML_JAR", str(JAR))
    dag = importlib.reload(cxml_ingest).cxml_ingest()
    dag.get_task("ingest").conf = {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1"}

    run = dag.test(logical_date=pendulum.datetime(2026, 1, 2, tz="UTC"))

    assert run.state == DagRunState.SUCCESS
    curated = sample_root / "curated" / "interactions"
    assert any(curated.glob("dt=*/*.parquet"))
    runs = list((sample_root / "runs" / "ingest").glob("*.json"))
    assert len(runs) == 1 and '"from" : "2026-01-02"' in runs[0].read_text()
    shutil.rmtree(sample_root, ignore_errors=True)
