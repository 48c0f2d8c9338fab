"""A PySpark session with cxml's shaded jar (jobs/target/cxml.jar), and bin/cxml for the Java path."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

PROJECT = pathlib.Path(__file__).resolve().parents[2]
JAR = PROJECT / "jobs" / "target" / "cxml.jar"
BIN_CXML = PROJECT / "bin" / "cxml"
sys.path.insert(0, str(PROJECT / "python"))  # the package as it is in the repo, installed or not

# Hashed n-gram models, as the Java tests and the DAG tests use: the default base encoder costs GBs and minutes.
os.environ.setdefault("CXML_EMBEDDINGS_ENCODER", "none")
os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")


def _require_jar() -> None:
    if not JAR.exists():
        message = f"{JAR} is needed: build it with ./setup.sh (or mvn -B package -DskipTests)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def cxml(root: pathlib.Path, *args: str) -> str:
    """Runs `bin/cxml <args> --conf cxml.storage.root=<root>`; fails with its output when it fails."""
    done = subprocess.run([str(BIN_CXML), *args, "--conf", f"cxml.storage.root={root}"], capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, f"bin/cxml {' '.join(args)} exited {done.returncode}:\n{done.stdout[-3000:]}\n" \
                                 f"{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="session")
def spark():
    _require_jar()
    from pyspark.sql import SparkSession

    jvm_options = [line.strip() for line in (PROJECT / "conf" / "jvm.options").read_text().splitlines()
                   if line.strip() and not line.startswith("#")]
    session = (SparkSession.builder.master("local[2]").appName("cxml-pyspark-tests")
               # spark.jars ships the jar to executors; py4j resolves classes on the driver's class path
               .config("spark.jars", str(JAR)).config("spark.driver.extraClassPath", str(JAR))
               .config("spark.driver.extraJavaOptions", " ".join(jvm_options))
               .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC").config("spark.sql.shuffle.partitions", "4")
               .config("spark.ui.enabled", "false")
               .getOrCreate())
    yield session
    session.stop()
