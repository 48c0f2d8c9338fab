"""`dag.test()` of the hourly scoring DAG for one logical hour: a real `spark-submit` of the shaded jar (pyspark's,
local mode) scores, with the champion trained on generated sample data, exactly the tickets created in that hour."""

from __future__ import annotations

import json
import pathlib
import shutil

import pendulum
import pytest

from tests.cxml_runs import LOCAL_SPARK, cxml, require_jar, submit_locally

#: A small, fast model: the test is about the DAG and the job, not the model's quality.
FAST_TRAINING = ["--conf", "cxml.training.intent.epochs=2", "--conf", "cxml.training.baseline-features=0",
                 "--conf", "cxml.training.intent.buckets=16384", "--conf", "cxml.training.intent.dim=16"]
NO_GATES = ["--conf", "cxml.models.gates.min-accuracy=0", "--conf", "cxml.models.gates.min-macro-f1=0",
            "--conf", "cxml.models.gates.min-language-accuracy=0"]


@pytest.fixture(scope="module")
def root_with_champion(tmp_path_factory) -> pathlib.Path:
    require_jar()
    root = tmp_path_factory.mktemp("cxml-score") / "cxml"
    cxml(root, "generate-sample", "--tickets", "900", "--accounts", "3", "--days", "3", "--start-date", "2026-01-01")
    cxml(root, "ingest", "--from", "2026-01-01", "--to", "2026-01-04")
    cxml(root, "train", "intent", "--from", "2026-01-01", "--to", "2026-01-04", *FAST_TRAINING)
    cxml(root, "models", "promote", "intent@v1", *NO_GATES)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_scoring_dag_scores_exactly_the_hour_of_its_data_interval(root_with_champion: pathlib.Path, monkeypatch) -> None:
    import pyarrow.parquet as pq
    from airflow.utils.state import DagRunState

    submit_locally(monkeypatch, root_with_champion)
    import cxml_score

    dag = cxml_score.cxml_score()
    dag.get_task("score").conf = dict(LOCAL_SPARK)
    # A run at 10:00 covers the hour that ended then (a manual run's data interval is the one before it).
    run = dag.test(logical_date=pendulum.datetime(2026, 1, 2, 10, tz="UTC"))

    assert run.state == DagRunState.SUCCESS
    hour = pendulum.instance(run.data_interval_start)
    assert (hour, pendulum.instance(run.data_interval_end)) == (pendulum.datetime(2026, 1, 2, 9, tz="UTC"),
                                                                pendulum.datetime(2026, 1, 2, 10, tz="UTC"))
    records = [json.loads(p.read_text()) for p in (root_with_champion / "runs" / "score").glob("*.json")]
    assert len(records) == 1
    record = records[0]
    assert record["status"] == "succeeded"
    assert record["window"] == {"from": "2026-01-02T09:00:00Z", "to": "2026-01-02T10:00:00Z"}
    assert record["versions"]["intent"] == "intent@v1"
    scored = pq.read_table(root_with_champion / "scored" / "tickets").to_pylist()
    assert scored, "the hour's tickets were scored"
    assert len(scored) == record["counts"]["scored"]
    for row in scored:
        created = pendulum.instance(row["created_at"]).in_timezone("UTC")
        assert hour <= created < hour.add(hours=1), row["ticket_id"]
        assert row["intent_model"] == "intent@v1" and row["run_id"] == record["runId"]
        assert 0 <= row["intent_confidence"] <= 1
