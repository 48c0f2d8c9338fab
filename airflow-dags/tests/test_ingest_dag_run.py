"""`dag.test()` of the ingest DAG for one logical day: Airflow renders the tasks, the Spark provider runs a real
`spark-submit` of the shaded jar (pyspark's, local mode) and the day lands in curated/interactions and the feature
views."""

from __future__ import annotations

import pathlib
import shutil

import pendulum
import pytest

from tests.cxml_runs import LOCAL_SPARK, cxml, require_jar, submit_locally


@pytest.fixture()
def sample_root(tmp_path: pathlib.Path) -> pathlib.Path:
    require_jar()
    root = tmp_path / "cxml"
    cxml(root, "generate-sample", "--tickets", "1500", "--accounts", "4", "--days", "3", "--start-date",
         "2026-01-01")
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_ingest_dag_runs_the_jobs_for_the_day_that_ended(sample_root: pathlib.Path, monkeypatch) -> None:
    from airflow.utils.state import DagRunState

    submit_locally(monkeypatch, sample_root)
    import cxml_ingest

    dag = cxml_ingest.cxml_ingest()
    for t in dag.tasks:
        t.conf = dict(LOCAL_SPARK)

    # A run on 3 January covers the day that ended then: 2 January.
    run = dag.test(logical_date=pendulum.datetime(2026, 1, 3, tz="UTC"))

    assert run.state == DagRunState.SUCCESS
    assert pendulum.instance(run.data_interval_start) == pendulum.datetime(2026, 1, 2, tz="UTC")
    curated = sample_root / "curated" / "interactions"
    assert [p.name for p in curated.glob("dt=*")] and any(curated.glob("dt=*/*.parquet"))
    runs = list((sample_root / "runs" / "ingest").glob("*.json"))
    assert len(runs) == 1 and '"from" : "2026-01-02"' in runs[0].read_text()
    assert list((sample_root / "runs" / "features-build").glob("*.json"))
