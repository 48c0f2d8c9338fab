"""The DAG files import cleanly under Airflow 3 and call the cxml jobs the way the CLI expects."""

from __future__ import annotations

import pathlib

import pytest
from airflow.models.dagbag import DagBag

DAGS = pathlib.Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS), include_examples=False)


def test_every_dag_file_imports_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert "cxml_ingest" in dagbag.dag_ids


def test_dags_follow_the_house_header(dagbag: DagBag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.catchup is False, dag_id
        assert dag.start_date.tzinfo is not None, dag_id
        assert "cxml" in dag.tags, dag_id
        assert dag.doc_md, dag_id


def test_ingest_submits_the_cxml_jar_for_the_logical_day(dagbag: DagBag) -> None:
    task = dagbag.dags["cxml_ingest"].get_task("ingest")

    assert task._java_class == "io.cxml.jobs.Cxml"  # the operator keeps it private
    assert task.application.endswith("cxml.jar")
    assert task.application_args[:3] == ["ingest", "--env", "prod"]
    assert task.application_args[3:] == ["--from", "{{ ds }}", "--to", "{{ ds }}"]
    assert [o.uri for o in task.outlets] == ["cxml://curated/interactions"]
