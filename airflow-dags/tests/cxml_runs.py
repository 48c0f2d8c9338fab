"""Helpers of the DAG run tests: the built jar, pyspark's spark-submit, a sample storage root made by bin/cxml, and
the Airflow settings that make a `dag.test()` spark-submit the jar in local mode."""

from __future__ import annotations

import os
import pathlib
import subprocess

import pytest

PROJECT = pathlib.Path(__file__).resolve().parents[2]
JAR = PROJECT / "jobs" / "target" / "cxml.jar"
SPARK_SUBMIT = PROJECT / ".venv" / "bin" / "spark-submit"
BIN_CXML = PROJECT / "bin" / "cxml"
LOCAL_SPARK = {"spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1"}


def require_jar() -> None:
    if not JAR.exists() or not SPARK_SUBMIT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{JAR} and {SPARK_SUBMIT} are needed: run ./setup.sh")
        pytest.skip("needs the built jar and .venv/bin/spark-submit: run ./setup.sh")


def cxml(root: pathlib.Path, *args: str) -> None:
    """Runs `bin/cxml <args> --conf cxml.storage.root=<root>` and fails with its output when it fails."""
    done = subprocess.run([str(BIN_CXML), *args, "--conf", f"cxml.storage.root={root}"], capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, f"bin/cxml {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n" \
                                 f"{done.stderr[-3000:]}"


def submit_locally(monkeypatch, root: pathlib.Path) -> None:
    """Environment of a local-mode spark-submit of the jar against `root` (prod.conf reads it from the env)."""
    from airflow.utils.db import initdb

    monkeypatch.setenv("PATH", f"{SPARK_SUBMIT.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("SPARK_LOCAL_IP", "127.0.0.1")
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(root))
    monkeypatch.setenv("AIRFLOW_VAR_CXML_JAR", str(JAR))
    monkeypatch.setenv("AIRFLOW_CONN_SPARK_DEFAULT",
                       '{"conn_type": "spark", "host": "local[2]", "extra": {"deploy-mode": "client"}}')
    initdb()
