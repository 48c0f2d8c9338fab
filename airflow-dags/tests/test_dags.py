"""The DAG files import cleanly under Airflow 3, carry the house header, hand assets to each other as designed and
render the cxml command lines with the window of their data interval."""

from __future__ import annotations

import json
import pathlib

import pendulum
import pytest
from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException
from airflow.models.dagbag import DagBag
from airflow.sdk.execution_time import macros
from airflow.timetables.interval import CronDataIntervalTimetable

import cxml_common

DAGS = pathlib.Path(__file__).resolve().parents[1]

#: dag id -> (cron, catchup): the schedules and catchup decisions as designed (see each DAG's doc_md).
TIME_SCHEDULED = {
    "cxml_ingest": ("0 0 * * *", True),
    "cxml_score": ("0 * * * *", True),
    "cxml_assist": ("0 1 * * *", True),
    "cxml_drift_check": ("0 2 * * *", False),
    "cxml_weekly_training": ("0 3 * * 1", False),
    "cxml_experiment_look": ("0 4 * * *", False),
}
ASSET_SCHEDULED = {"cxml_retrain_on_drift": ["cxml://monitor/drift-alert"]}


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(DAGS), include_examples=False)


def test_every_dag_file_imports_without_errors(dagbag: DagBag) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == set(TIME_SCHEDULED) | set(ASSET_SCHEDULED)


def test_every_dag_has_the_house_header(dagbag: DagBag) -> None:
    for dag_id, dag in dagbag.dags.items():
        assert dag.start_date.tzinfo is not None, dag_id
        assert "cxml" in dag.tags and len(dag.tags) >= 2, dag_id
        assert dag.doc_md and dag.doc_md.strip(), dag_id
        assert dag.max_active_runs == 1, dag_id
        for t in dag.tasks:
            assert t.owner == cxml_common.OWNER, (dag_id, t.task_id)
            assert t.execution_timeout is not None and t.execution_timeout.total_seconds() > 0, (dag_id, t.task_id)
            if t.task_id != "alert":  # the alert is a deliberate failure: retrying it would repeat the page
                assert t.retries >= 1, (dag_id, t.task_id)


@pytest.mark.parametrize("dag_id", sorted(TIME_SCHEDULED))
def test_time_schedules_are_data_intervals_with_deliberate_catchup(dagbag: DagBag, dag_id: str) -> None:
    dag = dagbag.dags[dag_id]
    expression, catchup = TIME_SCHEDULED[dag_id]
    assert isinstance(dag.timetable, CronDataIntervalTimetable), dag_id
    assert dag.timetable.summary == expression
    assert dag.catchup is catchup


def test_retraining_is_scheduled_on_the_drift_alert_asset(dagbag: DagBag) -> None:
    for dag_id, uris in ASSET_SCHEDULED.items():
        dag = dagbag.dags[dag_id]
        assert dag.catchup is False
        assert sorted(a.uri for _, a in dag.timetable.asset_condition.iter_assets()) == uris


def _asset_graph(dagbag: DagBag) -> set[tuple[str, str, str]]:
    """(producer task, asset uri, consumer dag or task) edges."""
    producers: dict[str, list[str]] = {}
    edges: set[tuple[str, str, str]] = set()
    for dag in dagbag.dags.values():
        for t in dag.tasks:
            for o in t.outlets:
                producers.setdefault(o.uri, []).append(f"{dag.dag_id}.{t.task_id}")
    for dag in dagbag.dags.values():
        if dag.dag_id in ASSET_SCHEDULED:
            for _, asset in dag.timetable.asset_condition.iter_assets():
                for p in producers.get(asset.uri, ["<none>"]):
                    edges.add((p, asset.uri, dag.dag_id))
        for t in dag.tasks:
            for i in t.inlets:
                for p in producers.get(i.uri, ["<none>"]):
                    edges.add((p, i.uri, f"{dag.dag_id}.{t.task_id}"))
    for uri, ps in producers.items():
        if not any(e[1] == uri for e in edges):
            for p in ps:
                edges.add((p, uri, "<nobody>"))
    return edges


def test_the_asset_graph_is_as_designed(dagbag: DagBag) -> None:
    assert _asset_graph(dagbag) == {
        ("cxml_ingest.ingest", "cxml://curated/interactions", "cxml_score.score"),
        ("cxml_ingest.features_build", "cxml://features/views", "cxml_assist.assist"),
        ("cxml_assist.assist", "cxml://assist/suggestions", "cxml_assist.evaluate_assist"),
        ("cxml_score.score", "cxml://scored/tickets", "cxml_drift_check.drift_check"),
        ("cxml_score.score", "cxml://scored/tickets", "cxml_experiment_look.analyze"),
        ("cxml_experiment_look.ship", "cxml://experiments/ship", "<nobody>"),
        ("cxml_drift_check.record_alert", "cxml://monitor/drift-alert", "cxml_retrain_on_drift"),
        ("cxml_weekly_training.retrain_intent", "cxml://models/intent", "<nobody>"),
        ("cxml_retrain_on_drift.retrain_intent", "cxml://models/intent", "<nobody>"),
        ("cxml_weekly_training.retrain_routing", "cxml://models/routing", "<nobody>"),
        ("cxml_retrain_on_drift.retrain_routing", "cxml://models/routing", "<nobody>"),
    }


def _rendered(dag, task_id: str, logical_date: pendulum.DateTime, params: dict | None = None) -> list[str]:
    """The spark-submit arguments of a task for the scheduled run of a logical date, deployment settings resolved."""
    task = dag.get_task(task_id).prepare_for_execution()
    interval = dag.timetable.infer_manual_data_interval(run_after=logical_date)
    if isinstance(dag.timetable, CronDataIntervalTimetable):
        # A scheduled run's logical date is its interval's start; find the interval that starts there.
        interval = dag.timetable.infer_manual_data_interval(
            run_after=dag.timetable._get_next(logical_date) + pendulum.duration(seconds=1))
        assert interval.start == logical_date
    run_after = interval.end

    class Run:  # the part of the DagRun the templates read
        pass

    run = Run()
    run.run_after = run_after
    context = {"data_interval_start": interval.start, "data_interval_end": interval.end, "macros": macros,
               "params": {**{k: v.value for k, v in dag.params.items()}, **(params or {})}, "dag_run": run,
               "ts_nodash": logical_date.strftime("%Y%m%dT%H%M%S")}
    task.render_template_fields(context, dag.get_template_env())
    task.resolve(context)
    return task


def placement(task) -> list[str]:
    """The arguments that tell a job its run id (and storage root, when one is configured)."""
    return ["--conf", f"cxml.run.id={task.run_id}", *(["--conf", f"cxml.storage.root={task.storage_root}"]
                                                     if task.storage_root else [])]


def test_ingest_and_features_get_the_day_that_ended(dagbag: DagBag) -> None:
    dag = dagbag.dags["cxml_ingest"]
    day = pendulum.datetime(2026, 3, 14, tz="UTC")
    for task_id, job in (("ingest", ["ingest"]), ("features_build", ["features", "build"])):
        task = _rendered(dag, task_id, day)
        assert task._java_class == "io.cxml.jobs.Cxml"  # the operator keeps it private
        assert task.application_args == [*job, "--env", "prod", "--from", "2026-03-14", "--to", "2026-03-15",
                                          *placement(task)]
    assert [o.uri for o in dag.get_task("ingest").outlets] == ["cxml://curated/interactions"]


def test_hourly_scoring_gets_its_hour_as_a_half_open_window(dagbag: DagBag) -> None:
    task = _rendered(dagbag.dags["cxml_score"], "score", pendulum.datetime(2026, 3, 14, 9, tz="UTC"))
    assert task.application_args == ["score", "--env", "prod", "--from", "2026-03-14T09:00:00Z",
                                      "--to", "2026-03-14T10:00:00Z", *placement(task)]
    assert task.name == "cxml-score-20260314T090000"


def test_assist_then_its_evaluation_get_the_day_that_ended_and_an_unlabelled_day_skips(dagbag: DagBag, tmp_path,
                                                                                      monkeypatch) -> None:
    dag = dagbag.dags["cxml_assist"]
    day = pendulum.datetime(2026, 3, 14, 1, tz="UTC")
    assist = _rendered(dag, "assist", day)
    assert assist.application_args == ["assist", "--env", "prod", "--from", "2026-03-14", "--to", "2026-03-15",
                                       *placement(assist)]
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(tmp_path))
    evaluate = _rendered(dag, "evaluate_assist", day)
    assert evaluate.application_args == ["evaluate", "assist", "--env", "prod", "--from", "2026-03-14",
                                         "--to", "2026-03-15", *placement(evaluate)]
    assert dag.get_task("assist").downstream_task_ids == {"evaluate_assist"}
    _record(tmp_path, ["evaluate", "assist"], evaluate.run_id, status="failed", outcome="empty",
            reason="no labelled ticket")
    with pytest.raises(AirflowSkipException, match="no labelled ticket"):
        evaluate.decide(None)


def test_drift_check_gets_the_day_that_ended(dagbag: DagBag) -> None:
    task = _rendered(dagbag.dags["cxml_drift_check"], "drift_check", pendulum.datetime(2026, 3, 14, 2, tz="UTC"))
    assert task.application_args == ["monitor", "drift", "--env", "prod", "--from", "2026-03-14T02:00:00Z",
                                     "--to", "2026-03-15T02:00:00Z", *placement(task)]


def test_weekly_training_gets_the_28_days_that_ended_and_gpus(dagbag: DagBag) -> None:
    monday = pendulum.datetime(2026, 3, 2, 3, tz="UTC")
    task = _rendered(dagbag.dags["cxml_weekly_training"], "retrain_intent", monday)
    # interval [Mon 2 Mar 03:00, Mon 9 Mar 03:00): the 28 days before 9 Mar are [9 Feb, 9 Mar)
    assert task.application_args == ["retrain", "intent", "--env", "prod", "--from", "2026-02-09",
                                      "--to", "2026-03-09", *placement(task)]
    assert task.conf["spark.task.resource.gpu.amount"] == "1"
    assert task.conf["spark.executor.resource.gpu.amount"] == "1"
    cpu = _rendered(dagbag.dags["cxml_weekly_training"], "retrain_intent", monday, {"gpu": False})
    assert not any("gpu" in k for k in cpu.conf)
    # Routing follows on the same window, on CPU, whatever became of the intent retrain.
    routing = _rendered(dagbag.dags["cxml_weekly_training"], "retrain_routing", monday)
    assert routing.application_args == ["retrain", "routing", "--env", "prod", "--from", "2026-02-09",
                                         "--to", "2026-03-09", *placement(routing)]
    assert not any("gpu" in k for k in routing.conf)
    assert routing.trigger_rule == "all_done"
    assert dagbag.dags["cxml_weekly_training"].get_task("retrain_intent").downstream_task_ids == {"retrain_routing"}


def test_retrain_on_drift_anchors_on_the_run_and_only_acts_on_an_alert(dagbag: DagBag) -> None:
    task = _rendered(dagbag.dags["cxml_retrain_on_drift"], "retrain_intent",
                     pendulum.datetime(2026, 3, 15, 2, 20, tz="UTC"))
    args = task.application_args
    assert args[:5] == ["retrain", "intent", "--env", "prod", "--if-drifted"]
    window = args[5:]
    assert window[0] == "--from" and window[2] == "--to"
    assert pendulum.parse(window[3]) - pendulum.parse(window[1]) == pendulum.duration(days=28)
    routing = _rendered(dagbag.dags["cxml_retrain_on_drift"], "retrain_routing",
                        pendulum.datetime(2026, 3, 15, 2, 20, tz="UTC"))
    assert routing.application_args[:-2] == ["retrain", "routing", *args[2:-2]]


def test_deployment_settings_come_from_params_then_variables_then_environment(dagbag: DagBag, monkeypatch) -> None:
    dag = dagbag.dags["cxml_score"]
    day = pendulum.datetime(2026, 3, 14, 9, tz="UTC")
    monkeypatch.setenv("AIRFLOW_VAR_CXML_JAR", "/var/cxml.jar")
    monkeypatch.setenv("AIRFLOW_VAR_CXML_ENV", "dev")
    monkeypatch.setenv("AIRFLOW_VAR_CXML_CONF", '["cxml.scoring.batch-size=64"]')
    task = _rendered(dag, "score", day)
    assert task.application == "/var/cxml.jar"
    assert task.application_args[1:3] == ["--env", "dev"]
    assert task.application_args[-2:] == ["--conf", "cxml.scoring.batch-size=64"]

    task = _rendered(dag, "score", day, {"jar": "/param/cxml.jar", "env": "prod", "conf": ["a.b=1"]})
    assert task.application == "/param/cxml.jar"
    assert task.application_args[1:3] == ["--env", "prod"]
    assert task.application_args[-4:] == ["--conf", "cxml.scoring.batch-size=64", "--conf", "a.b=1"]

    monkeypatch.setenv("AIRFLOW_VAR_CXML_CONF", "not json")
    with pytest.raises(AirflowException, match="Cannot read Variable cxml_conf"):
        _rendered(dag, "score", day)


def test_drift_verdict_comes_from_the_exit_code() -> None:
    alert = AirflowException("Cannot execute: spark-submit ... Error code is: 3.")
    failed = AirflowException("Cannot execute: spark-submit ... Error code is: 1.")
    assert cxml_common.exit_code(alert) == cxml_common.EXIT_DRIFT_ALERT
    assert cxml_common.exit_code(failed) == 1
    assert cxml_common.exit_code(AirflowException("something else")) is None


def _record(root: pathlib.Path, job: list[str], run: str, **fields) -> None:
    path = root / "runs" / "-".join(job) / f"{run}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"runId": run, "job": "-".join(job), **fields}))


@pytest.mark.parametrize("outcome, expected", [
    ("success", "ok"), ("alert", "alert"), ("refused", AirflowFailException), ("empty", AirflowSkipException),
    ("failed", AirflowException)])
def test_a_task_decides_from_the_run_record_not_the_exit_code(dagbag: DagBag, tmp_path, monkeypatch, outcome,
                                                               expected) -> None:
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(tmp_path))
    task = _rendered(dagbag.dags["cxml_drift_check"], "drift_check", pendulum.datetime(2026, 3, 14, 2, tz="UTC"))
    assert task.application_args[-4:] == ["--conf", f"cxml.run.id={task.run_id}",
                                          "--conf", f"cxml.storage.root={tmp_path}"]
    _record(tmp_path, ["monitor", "drift"], task.run_id, status="succeeded" if outcome in ("success", "alert")
            else "failed", outcome=outcome, reason=f"the reason of {outcome}")
    # In cluster mode spark-submit's exit code says nothing: the same for every outcome.
    for error in (None, AirflowException("spark-submit ... Error code is: 1.")):
        if isinstance(expected, str):
            assert task.decide(error) == expected
        else:
            with pytest.raises(expected, match=f"the reason of {outcome}") as raised:
                task.decide(error)
            assert type(raised.value) is expected


def test_no_run_record_is_a_failure_and_no_storage_root_falls_back_to_the_exit_code(dagbag: DagBag, tmp_path,
                                                                                    monkeypatch) -> None:
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(tmp_path))
    task = _rendered(dagbag.dags["cxml_ingest"], "ingest", pendulum.datetime(2026, 3, 14, tz="UTC"))
    with pytest.raises(AirflowException, match="no run record"):
        task.decide(None)
    _record(tmp_path, ["ingest"], task.run_id, status="failed", outcome="empty", reason="no export files")
    with pytest.raises(AirflowException, match="no export files") as raised:
        task.decide(None)
    assert type(raised.value) is AirflowException  # ingest: an empty day is retried (the export may be late)

    monkeypatch.delenv("CXML_STORAGE_ROOT")
    drift = _rendered(dagbag.dags["cxml_drift_check"], "drift_check", pendulum.datetime(2026, 3, 14, 2, tz="UTC"))
    assert drift.storage_root is None
    assert drift.decide(AirflowException("... Error code is: 3.")) == "alert"
    assert drift.decide(None) == "ok"


def test_experiment_look_analyzes_the_experiment_of_the_run_as_of_the_end_of_the_day(dagbag: DagBag) -> None:
    task = _rendered(dagbag.dags["cxml_experiment_look"], "analyze", pendulum.datetime(2026, 3, 14, 4, tz="UTC"),
                     {"experiment": "routing-v3"})
    assert task.application_args[:8] == ["experiment", "analyze", "--env", "prod", "--experiment", "routing-v3",
                                          "--as-of", "2026-03-15T04:00:00Z"]


@pytest.mark.parametrize("decision, outcome, code", [
    ("keep_running", "success", 0), ("ship", "success", 10), ("stop:harm", "alert", 11), ("stop:srm", "alert", 12)])
def test_experiment_decision_comes_from_the_run_record_and_picks_the_branch(dagbag: DagBag, tmp_path, monkeypatch,
                                                                            decision, outcome, code) -> None:
    dag = dagbag.dags["cxml_experiment_look"]
    assert dag.get_task("on_decision").downstream_task_ids == {"ship", "keep_running", "alert"}
    assert [a.uri for a in dag.get_task("ship").outlets] == ["cxml://experiments/ship"]
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(tmp_path))
    look = _rendered(dag, "analyze", pendulum.datetime(2026, 3, 14, 4, tz="UTC"), {"experiment": "routing-v3"})
    _record(tmp_path, ["experiment", "analyze"], look.run_id, status="succeeded", outcome=outcome,
            reason="the look's reason", details={"decision": decision, "exit_code": code})
    # cluster mode: spark-submit's exit code says nothing, the record decides
    for error in (None, AirflowException("spark-submit ... Error code is: 1.")):
        assert look.decide(error) == decision

    monkeypatch.delenv("CXML_STORAGE_ROOT")  # client mode without a storage root: the exit code decides
    look = _rendered(dag, "analyze", pendulum.datetime(2026, 3, 14, 4, tz="UTC"), {"experiment": "routing-v3"})
    error = AirflowException(f"Cannot execute: spark-submit ... Error code is: {code}.") if code else None
    assert look.decide(error) == decision


def test_a_failed_experiment_look_fails_the_task(dagbag: DagBag, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CXML_STORAGE_ROOT", str(tmp_path))
    look = _rendered(dagbag.dags["cxml_experiment_look"], "analyze", pendulum.datetime(2026, 3, 14, 4, tz="UTC"),
                     {"experiment": "routing-v3"})
    _record(tmp_path, ["experiment", "analyze"], look.run_id, status="failed", outcome="failed",
            reason="arm 'b' serves intent@v9, which the registry does not hold")
    with pytest.raises(AirflowException, match="intent@v9"):
        look.decide(AirflowException("Cannot execute: spark-submit ... Error code is: 1."))
    monkeypatch.delenv("CXML_STORAGE_ROOT")
    look = _rendered(dagbag.dags["cxml_experiment_look"], "analyze", pendulum.datetime(2026, 3, 14, 4, tz="UTC"),
                     {"experiment": "routing-v3"})
    with pytest.raises(AirflowException):
        look.decide(AirflowException("Cannot execute: spark-submit ... Error code is: 1."))
