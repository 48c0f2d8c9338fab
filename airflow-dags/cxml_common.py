"""What the cxml DAGs share: the deployment settings, the assets they hand to each other, the window templates and
`CxmlJob`, the one operator that spark-submits a cxml job.

Deployment settings are read when a task runs, in this order: the DAG run's params (`jar`, `env`, `conf`: set them
when triggering a run by hand), then the Airflow Variables `cxml_jar`, `cxml_env`, `cxml_conf` (a JSON list of
`key=value` overrides), then the workers' environment (`CXML_JAR`, `CXML_ENV`, `CXML_CONF`), then the defaults below.
Nothing here holds a secret (the jobs read credentials from the workers' environment or the cluster's provider chain).

Windows: every time-scheduled DAG uses a data-interval timetable (`CronDataIntervalTimetable`), so a run covers the
interval that has just ended: `data_interval_start` .. `data_interval_end`. (Airflow 3's default for a bare
`@daily` is `CronTriggerTimetable`, where `{{ ds }}` is the day that is just starting and the interval is empty.)
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import pendulum
from airflow.exceptions import AirflowException
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

#: Datasets the DAGs hand to each other: a consumer runs when its producer updated them.
CURATED_INTERACTIONS = Asset("cxml://curated/interactions")
FEATURES = Asset("cxml://features/views")
SCORED_TICKETS = Asset("cxml://scored/tickets")
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
}

#: Spark resource settings of a GPU training task (docs/models.md: the DJL task picks the task's GPU).
GPU_CONF = {
    "spark.executor.resource.gpu.amount": "1",
    "spark.task.resource.gpu.amount": "1",
    "spark.executor.resource.gpu.discoveryScript": "/opt/spark/examples/src/main/scripts/getGpusResources.sh",
}

# Window templates. Dates are inclusive days for ingest / features / train; timestamps are [from, to) for
# score / monitor.
DAY_START = "{{ data_interval_start | ds }}"
LAST_DAY = "{{ (data_interval_end - macros.timedelta(days=1)) | ds }}"
TS_START = "{{ data_interval_start.in_timezone('UTC').strftime('%Y-%m-%dT%H:%M:%SZ') }}"
TS_END = "{{ data_interval_end.in_timezone('UTC').strftime('%Y-%m-%dT%H:%M:%SZ') }}"


def cron(expression: str) -> CronDataIntervalTimetable:
    """A cron schedule whose runs cover the interval that just ended (UTC)."""
    return CronDataIntervalTimetable(expression, timezone=UTC)


def days_before_end(days: int, anchor: str = "data_interval_end") -> str:
    """Template: the day `days` days before `anchor` (the first of the `days` days that end just before it).

    Asset-triggered runs have no data interval in Airflow 3; they anchor on `dag_run.run_after`."""
    return "{{ (%s - macros.timedelta(days=%d)) | ds }}" % (anchor, days)


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
                 conf: dict[str, str] | None = None, **kwargs: Any) -> None:
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

    def resolve(self, context: Any) -> None:
        """Fills in the deployment settings of this run (called by `execute`, and by tests)."""
        self.application = _setting(context, "jar", "cxml_jar", "CXML_JAR", self.application)
        env = _setting(context, "env", "cxml_env", "CXML_ENV", CXML_ENV)
        n = len(self.cxml_job)
        self.application_args = [*self.application_args[:n], "--env", env, *self.application_args[n:],
                                 *conf_overrides(context)]
        if self.gpu and (context.get("params") or {}).get("gpu", True):
            self.conf = {**GPU_CONF, **(self.conf or {})}

    def execute(self, context: Any) -> None:
        self.resolve(context)
        super().execute(context)


def exit_code(error: AirflowException) -> int | None:
    """The spark-submit exit code in the Spark provider's failure message ("... Error code is: 3."), if any."""
    match = re.search(r"Error code is: (\d+)\.", str(error))
    return int(match.group(1)) if match else None


class DriftCheck(CxmlJob):
    """`cxml monitor drift`: succeeds with the verdict as its XCom, `alert` when the job exited with
    `EXIT_DRIFT_ALERT`, `ok` when it exited 0; any other failure fails the task (and is retried)."""

    def execute(self, context: Any) -> str:
        try:
            super().execute(context)
        except AirflowException as e:
            if exit_code(e) == EXIT_DRIFT_ALERT:
                self.log.warning("cxml monitor drift: alert threshold crossed (exit %d)", EXIT_DRIFT_ALERT)
                return "alert"
            raise
        return "ok"
