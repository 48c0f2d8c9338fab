"""`spark-submit --deploy-mode cluster` against a Spark standalone master and worker started here (pyspark's
distribution): spark-submit's exit code does not carry the driver's (3 for a drift alert, 1 for a failure), and the
DAG logic (`CxmlJob.decide`, `DriftCheck.decide`) still tells an alert from a failure, from the run record the
driver wrote on the storage root."""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest
from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException

import cxml_common
from tests.cxml_runs import JAR, SPARK_SUBMIT, cxml, require_jar

SPARK_CLASS = SPARK_SUBMIT.parent / "spark-class"
#: pyspark's distribution (spark-class's own lookup would run whatever python3 is first on the PATH).
SPARK_HOME = next(iter(sorted((SPARK_SUBMIT.parents[1] / "lib").glob("python*/site-packages/pyspark"))), None)
FAST_TRAINING = ["--conf", "cxml.training.intent.epochs=2", "--conf", "cxml.training.baseline.features=0",
                 "--conf", "cxml.training.intent.buckets=16384", "--conf", "cxml.training.intent.dim=16"]
NO_GATES = ["--conf", "cxml.models.gates.min-accuracy=0", "--conf", "cxml.models.gates.min-macro-f1=0",
            "--conf", "cxml.models.gates.min-language-accuracy=0"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def root_with_scores(tmp_path_factory) -> pathlib.Path:
    require_jar()
    root = tmp_path_factory.mktemp("cxml-cluster") / "cxml"
    cxml(root, "generate-sample", "--tickets", "900", "--accounts", "3", "--days", "3", "--start-date", "2026-01-01")
    cxml(root, "ingest", "--from", "2026-01-01", "--to", "2026-01-04")
    cxml(root, "train", "intent", *FAST_TRAINING)
    cxml(root, "models", "promote", "intent@v1", *NO_GATES)
    cxml(root, "score", "--from", "2026-01-01", "--to", "2026-01-04", "--model", "sentiment=none",
         "--model", "routing=none")
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> str:
    """A Spark standalone master and one worker on 127.0.0.1, from pyspark's distribution; the master URL."""
    require_jar()
    work = tmp_path_factory.mktemp("spark-standalone")
    port, ui, worker_ui = _free_port(), _free_port(), _free_port()
    env = {**os.environ, "SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOG_DIR": str(work), "SPARK_WORKER_DIR": str(work),
           "CXML_EMBEDDINGS_ENCODER": "none"}  # the drivers the worker launches inherit its environment
    master = subprocess.Popen([str(SPARK_CLASS), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                               "--port", str(port), "--webui-port", str(ui)], env=env,
                              stdout=open(work / "master.log", "w"), stderr=subprocess.STDOUT)
    url = f"spark://127.0.0.1:{port}"
    worker = subprocess.Popen([str(SPARK_CLASS), "org.apache.spark.deploy.worker.Worker", url, "--host",
                               "127.0.0.1", "--cores", "2", "--memory", "4g", "--webui-port", str(worker_ui),
                               "--work-dir", str(work)], env=env, stdout=open(work / "worker.log", "w"),
                              stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while True:
            try:
                state = json.load(urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=5))
                if state.get("aliveworkers", 0) >= 1:
                    break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"the standalone worker did not register: {(work / 'worker.log').read_text()[-2000:]}")
            time.sleep(1)
        yield url
    finally:
        for process in (worker, master):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _submit_in_cluster_mode(master: str, root: pathlib.Path, run_id: str, *job: str) -> int:
    """spark-submit --deploy-mode cluster of one job, waiting for the driver; spark-submit's exit code."""
    done = subprocess.run([str(SPARK_SUBMIT), "--master", master, "--deploy-mode", "cluster",
                           "--conf", "spark.standalone.submit.waitAppCompletion=true",
                           "--conf", "spark.driver.host=127.0.0.1", "--driver-memory", "2g",
                           "--executor-memory", "1g", "--class", cxml_common.MAIN_CLASS, str(JAR), *job,
                           "--conf", f"cxml.storage.root={root}", "--conf", f"cxml.run.id={run_id}"],
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, "SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1"})
    return done.returncode


def _task(operator: type, job: list[str], root: pathlib.Path, run_id: str):
    """The DAG's operator for a job, as resolved for a run that wrote `run_id` under `root`."""
    task = operator(task_id="_".join(job), job=job)
    task.storage_root, task.run_id = str(root), run_id
    return task


def test_a_drift_alert_in_cluster_mode_is_an_alert_and_a_failure_a_failure(root_with_scores: pathlib.Path,
                                                                            standalone: str) -> None:
    # Any shift of the last day's mix against the held-out reference crosses a zero threshold: an alert (exit 3).
    drift = ["monitor", "drift", "--from", "2026-01-03", "--to", "2026-01-04", "--model", "intent@v1",
             "--conf", "cxml.monitor.drift.psi-alert=0.000001", "--conf", "cxml.monitor.drift.psi-warn=0.0000005"]
    code = _submit_in_cluster_mode(standalone, root_with_scores, "cluster-drift", *drift)
    assert code != cxml_common.EXIT_DRIFT_ALERT, "the driver's exit code does not reach spark-submit"
    error = AirflowException(f"spark-submit ... Error code is: {code}.") if code else None
    check = _task(cxml_common.DriftCheck, ["monitor", "drift"], root_with_scores, "cluster-drift")
    assert check.decide(error) == "alert"

    # A failing job (a version that does not exist) is a failure, retried, whatever spark-submit said.
    score = ["score", "--from", "2026-01-01", "--to", "2026-01-04", "--model", "intent=intent@v9"]
    code = _submit_in_cluster_mode(standalone, root_with_scores, "cluster-failure", *score)
    error = AirflowException(f"spark-submit ... Error code is: {code}.") if code else None
    job = _task(cxml_common.CxmlJob, ["score"], root_with_scores, "cluster-failure")
    with pytest.raises(AirflowException, match="cxml score: failed: .*intent@v9") as raised:
        job.decide(error)
    assert not isinstance(raised.value, (AirflowFailException, AirflowSkipException))
