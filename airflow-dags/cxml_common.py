"""What the cxml DAGs share: the deployment settings, the assets they hand to each other, the window templates and
`CxmlJob`, the one operator that spark-submits a cxml job.

Deployment settings are read when a task runs, in this order: the DAG run's params (`jar`, `env`, `conf`: set them
when triggering a run by hand), then the Airflow Variables `cxml_jar`, `cxml_env`, `cxml_conf` (a JSON list of
`key=value` overrides), then the workers' environment (`CXML_JAR`, `CXML_ENV`, `CXML_CONF`), then the defaults below.
Nothing here holds a secret (the jobs read credentials from the workers' environment or the cluster's provider chain).

Windows: every time-scheduled DAG uses a data-interval timetable (`CronDataIntervalTimetable`), so a run covers the
interval that has just ended: `data_interval_start` .. `data_interval_end`. (Airflow 3's default for a bare
`@daily` is `CronTriggerTimetable`, where `{{ ds }}` is the day that is just starting and the interval is empty.)
Every cxml window is half-open like a data interval, `--from` included and `--to` left out, in days or timestamps.

Outcomes: a task decides from the job's run record, not from spark-submit's exit code, which `--deploy-mode cluster`
does not pass on. `CxmlJob` gives each try a run id (`--conf cxml.run.id=...`) and, once spark-submit returns or
fails, reads `<storage root>/runs/<job>/<run id>.json` (the storage root: param `storage_root`, Variable
`cxml_storage_root`, `$CXML_STORAGE_ROOT`; also passed to the job as `cxml.storage.root`). Its `outcome`:
`success` and `alert` succeed (`alert` is the drift verdict), `refused` fails without retry (a gate refusal is the
same on every try), `empty` (the window selected nothing) skips the task or, for `on_empty="fail"`, fails it with
retries (late data), `failed` or no record fails it with retries. Without a storage root the exit code decides, as
in client mode.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
from typing import Any

import pendulum
from airflow.exceptions import AirflowException, AirflowFailException, AirflowSkipException
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import Asset, Param, Variable
from airflow.timetables.interval import CronDataIntervalTimetable

#: Fallbacks of the deployment settings (the Variables and params above win).
CXML_JAR = os.environ.get("CXML_JAR", "/opt/cxml/cxml.jar")
CXML_ENV = os.environ.get("CXML_ENV", "prod")
#: Airflow connection of the Spark cluster (its host is the master: yarn, k8s://..., local[*]).
SPARK_CONN_ID = os.environ.get("CXML_SPARK_CONN_ID", "spark_default")
#: Entry point of every cxml job.
MAIN_CLASS = "io.cxml.jobs.Cxml"
#: Owner shown in the UI and used by the deployment's alert routing.
OWNER = os.environ.get("CXML_OWNER", "cxml-ml-platform")

#: Exit code of `cxml monitor drift` when a metric crossed the alert threshold (docs/operations.md).
EXIT_DRIFT_ALERT = 3

#: The outcomes a job writes to its run record (docs/operations.md#run-records).
SUCCESS, ALERT, REFUSED, EMPTY, FAILED = "success", "alert", "refused", "empty", "failed"

#: Datasets the DAGs hand to each other: a consumer runs when its producer updated them.
CURATED_INTERACTIONS = Asset("cxml://curated/interactions")
FEATURES = Asset("cxml://features/views")
SCORED_TICKETS = Asset("cxml://scored/tickets")
ASSIST_SUGGESTIONS = Asset("cxml://assist/suggestions")
DRIFT_ALERT = Asset("cxml://monitor/drift-alert")
INTENT_MODEL = Asset("cxml://models/intent")
ROUTING_MODEL = Asset("cxml://models/routing")

UTC = "UTC"
START_DATE = pendulum.parse(os.environ.get("CXML_START_DATE", "2026-01-01T00:00:00+00:00"))

DEFAULT_ARGS = {
    "owner": OWNER,
    "retries": 2,
    "retry_delay": pendulum.duration(minutes=10),
    "retry_exponential_backoff": True,
    "execution_timeout": pendulum.duration(hours=2),
}

#: Params every DAG takes (empty = use the Variables / environment).
PARAMS = {
    "jar": Param(None, type=["null", "string"], description="cxml.jar to submit (default: Variable cxml_jar)."),
    "env": Param(None, type=["null", "string"], description="--env overlay (default: Variable cxml_env)."),
    "conf": Param([], type="array", description="Extra --conf key=value overrides, after Variable cxml_conf."),
    "storage_root": Param(None, type=["null", "string"], description="Storage root the jobs write their run records "
                          "to (default: Variable cxml_storage_root, then $CXML_STORAGE_ROOT)."),
}

#: Spark resource settings of a GPU training task (docs/models.md: the DJL task picks the task's GPU).
GPU_CONF = {
    "spark.executor.resource.gpu.amount": "1",
    "spark.task.resource.gpu.amount": "1",
    "spark.executor.resource.gpu.discoveryScript": "/opt/spark/examples/src/main/scripts/getGpusResources.sh",
}

# Window templates: every job's window is [--from, --to), days (ingest, features, train, retrain) or timestamps
# (score, monitor), as the data interval is.
DAY_START = "{{ data_interval_start | ds }}"
DAY_END = "{{ data_interval_end | ds }}"
TS_START = "{{ data_interval_start.in_timezone('UTC').strftime('%Y-%m-%dT%H:%M:%SZ') }}"
TS_END = "{{ data_interval_end.in_timezone('UTC').strftime('%Y-%m-%dT%H:%M:%SZ') }}"


def cron(expression: str) -> CronDataIntervalTimetable:
    """A cron schedule whose runs cover the interval that just ended (UTC)."""
    return CronDataIntervalTimetable(expression, timezone=UTC)


def days_before_end(days: int, anchor: str = "data_interval_end") -> str:
    """Template: the day `days` days before `anchor` (the first of the `days` days that end just before it).

    Asset-triggered runs have no data interval in Airflow 3; they anchor on `dag_run.run_after`."""
    return "{{ (%s - macros.timedelta(days=%d)) | ds }}" % (anchor, days)


def day_of(anchor: str) -> str:
    """Template: the day of `anchor` (as `--to`, the first day left out)."""
    return "{{ %s | ds }}" % anchor


def _setting(context: Any, param: str, variable: str, env: str, default: str) -> str:
    value = (context.get("params") or {}).get(param)
    if value:
        return str(value)
    value = Variable.get(variable, default=None)
    if value:
        return str(value)
    return os.environ.get(env) or default


def conf_overrides(context: Any) -> list[str]:
    """`--conf` arguments: the Variable cxml_conf (or $CXML_CONF), then the run's `conf` param."""
    raw = Variable.get("cxml_conf", default=None) or os.environ.get("CXML_CONF") or "[]"
    try:
        overrides = json.loads(raw)
    except json.JSONDecodeError as e:
        raise AirflowException(f"Cannot read Variable cxml_conf: not a JSON list of key=value strings ({e})") from e
    overrides = [*overrides, *((context.get("params") or {}).get("conf") or [])]
    for o in overrides:
        if not isinstance(o, str) or "=" not in o:
            raise AirflowException(f"Cannot pass --conf {o!r}: overrides are key=value strings")
    return [arg for o in overrides for arg in ("--conf", o)]


class CxmlJob(SparkSubmitOperator):
    """spark-submit of one cxml job: `cxml.jar <job...> --env ENV <args...> [--conf k=v ...]`.

    The jar, `--env` and the `--conf` overrides are resolved when the task runs (params, Variables, environment),
    so a DAG file never reads a Variable while it is parsed. `gpu=True` adds the Spark GPU resource settings
    (`GPU_CONF`, each overridable by `conf`) unless the run's params say `gpu: false`.
    """

    def __init__(self, *, job: list[str], args: list[str] | None = None, gpu: bool = False,
                 conf: dict[str, str] | None = None, on_empty: str = "skip", **kwargs: Any) -> None:
        super().__init__(
            application=CXML_JAR,
            java_class=MAIN_CLASS,
            conn_id=SPARK_CONN_ID,
            name=f"cxml-{'-'.join(job)}-{{{{ ts_nodash }}}}",
            application_args=[*job, *(args or [])],
            conf=dict(conf or {}),
            **kwargs,
        )
        self.cxml_job = list(job)
        self.gpu = gpu
        if on_empty not in ("skip", "fail"):
            raise ValueError(f"on_empty must be 'skip' or 'fail', got {on_empty!r}")
        self.on_empty = on_empty
        self.run_id: str | None = None
        self.storage_root: str | None = None
        #: The run record `decide` read (None before, or when there was none), for subclasses that need more of it.
        self.run_record: dict | None = None

    def resolve(self, context: Any) -> None:
        """Fills in the deployment settings of this run (called by `execute`, and by tests)."""
        self.application = _setting(context, "jar", "cxml_jar", "CXML_JAR", self.application)
        env = _setting(context, "env", "cxml_env", "CXML_ENV", CXML_ENV)
        self.storage_root = _setting(context, "storage_root", "cxml_storage_root", "CXML_STORAGE_ROOT", "") or None
        self.run_id = run_id(context, self)
        n = len(self.cxml_job)
        placement = ["--conf", f"cxml.run.id={self.run_id}"]
        if self.storage_root:
            placement += ["--conf", f"cxml.storage.root={self.storage_root}"]
        self.application_args = [*self.application_args[:n], "--env", env, *self.application_args[n:],
                                 *placement, *conf_overrides(context)]
        if self.gpu and (context.get("params") or {}).get("gpu", True):
            self.conf = {**GPU_CONF, **(self.conf or {})}

    def execute(self, context: Any) -> str:
        self.resolve(context)
        error: AirflowException | None = None
        try:
            super().execute(context)
        except AirflowException as e:
            error = e
        return self.decide(error)

    def decide(self, error: AirflowException | None) -> str:
        """The task's result from the job's run record: the outcome (`success` or `alert`), or the exception that
        `refused`, `empty`, `failed` or a missing record call for. Without a storage root, the exit code decides."""
        name = " ".join(self.cxml_job)
        if not self.storage_root:
            if error is not None:
                raise error
            return SUCCESS
        record = self.run_record = read_run_record(self.storage_root, self.cxml_job, self.run_id)
        outcome, reason = outcome_of(record, error)
        if outcome in (SUCCESS, ALERT):
            if outcome == ALERT:
                self.log.warning("cxml %s: alert: %s", name, reason)
            return outcome
        message = f"cxml {name}: {outcome}: {reason} (run record of run {self.run_id})"
        if outcome == REFUSED:
            raise AirflowFailException(message)
        if outcome == EMPTY and self.on_empty == "skip":
            raise AirflowSkipException(message)
        raise AirflowException(message)


def run_id(context: Any, task: Any) -> str:
    """The run id of one try of a task: readable, unique per DAG run and try, a safe file name."""
    ti = context.get("ti")
    dag_id = getattr(ti, "dag_id", None) or getattr(task, "dag_id", None) or "dag"
    try_number = getattr(ti, "try_number", None) or 1
    stamp = context.get("ts_nodash") or pendulum.now("UTC").strftime("%Y%m%dT%H%M%S")
    raw = f"airflow-{dag_id}-{task.task_id}-{stamp}-try{try_number}"
    return re.sub(r"[^A-Za-z0-9._-]", "_", raw)[:200]


def read_run_record(root: str, job: list[str], run: str) -> dict | None:
    """The job's run record `<root>/runs/<job>/<run>.json`, or None when there is none (the job never started).

    A local root is read directly; a URL (s3a://, s3://, gs://, ...) through fsspec, with the filesystem package of
    its scheme installed on the workers (s3fs for S3)."""
    path = f"{root.rstrip('/')}/runs/{'-'.join(job)}/{run}.json"
    if "://" not in path or path.startswith("file://"):
        local = pathlib.Path(path.removeprefix("file://"))
        return json.loads(local.read_text()) if local.is_file() else None
    import fsspec

    url = re.sub(r"^s3a://", "s3://", path)
    fs, target = fsspec.core.url_to_fs(url)
    if not fs.exists(target):
        return None
    with fs.open(target, "r") as f:
        return json.load(f)


def outcome_of(record: dict | None, error: Exception | None) -> tuple[str, str]:
    """(outcome, reason) of a run record; a missing record is a failure, whatever spark-submit said."""
    if record is None:
        said = f": {error}" if error is not None else ""
        return FAILED, f"no run record: the job failed before it started or its driver died (see the log){said}"
    outcome = record.get("outcome") or (SUCCESS if record.get("status") == "succeeded" else FAILED)
    return outcome, record.get("reason") or record.get("error") or ""


def exit_code(error: AirflowException) -> int | None:
    """The spark-submit exit code in the Spark provider's failure message ("... Error code is: 3."), if any."""
    match = re.search(r"Error code is: (\d+)\.", str(error))
    return int(match.group(1)) if match else None


class DriftCheck(CxmlJob):
    """`cxml monitor drift`: succeeds with the verdict as its XCom, `alert` when the run record's outcome is `alert`
    (or, without a storage root, the job exited `EXIT_DRIFT_ALERT`), `ok` on success; anything else fails the task as
    `CxmlJob.decide` says."""

    def decide(self, error: AirflowException | None) -> str:
        if not self.storage_root and error is not None and exit_code(error) == EXIT_DRIFT_ALERT:
            self.log.warning("cxml monitor drift: alert threshold crossed (exit %d)", EXIT_DRIFT_ALERT)
            return "alert"
        return "alert" if super().decide(error) == ALERT else "ok"
