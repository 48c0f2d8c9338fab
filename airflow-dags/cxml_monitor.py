"""
### cxml drift check

Every day, once the day is over, compares the tickets scored that day with the champion's reference profile
(`monitor drift --from D --to D+1`): PSI of the language, channel, priority and tenant mix and of binned numeric
inputs, Jensen-Shannon distance of the predicted intents, the shift of mean confidence and of the unknown rate,
overall, per language and per tenant. It writes `DRIFT_METRICS` and an HTML report.

**Alerting on the run record.** `cxml monitor drift` writes outcome `alert` to its run record (and exits 3 in client
mode) when a metric crossed the alert threshold (PSI 0.25 by default; docs/operations.md). The `drift_check` task
reads the record (whatever the deploy mode) and then succeeds with the verdict `alert` (an alert is not retried:
running again finds the same drift); any other failure fails it as usual. On `alert` the DAG updates the
`cxml://monitor/drift-alert` asset, which schedules `cxml_retrain_on_drift`, and then fails its `alert` task so the
deployment's failure notifications fire. On `ok` it ends in `no_alert`.

**No catchup.** Only the latest day's drift decides anything; a missed day is checked by triggering that run.
"""

from __future__ import annotations

import pendulum
from airflow.exceptions import AirflowFailException
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import dag, task

from cxml_common import (
    DEFAULT_ARGS,
    DRIFT_ALERT,
    PARAMS,
    SCORED_TICKETS,
    START_DATE,
    TS_END,
    TS_START,
    DriftCheck,
    cron,
)


@dag(
    dag_id="cxml_drift_check",
    schedule=cron("0 2 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=["cxml", "monitoring"],
    default_args={**DEFAULT_ARGS, "execution_timeout": pendulum.duration(minutes=60)},
    params=PARAMS,
    doc_md=__doc__,
)
def cxml_drift_check():
    verdict = DriftCheck(
        task_id="drift_check",
        job=["monitor", "drift"],
        args=["--from", TS_START, "--to", TS_END],
        inlets=[SCORED_TICKETS],
    )

    @task.branch(task_id="on_verdict")
    def on_verdict(value: str) -> str:
        return "record_alert" if value == "alert" else "no_alert"

    record_alert = EmptyOperator(task_id="record_alert", outlets=[DRIFT_ALERT])

    @task(task_id="alert", retries=0)
    def alert() -> None:
        raise AirflowFailException("cxml drift alert: a metric crossed its alert threshold; see the drift_check "
                                   "log for the worst offenders and the report path. Retraining was triggered "
                                   "(cxml_retrain_on_drift).")

    branch = on_verdict(verdict.output)
    branch >> record_alert >> alert()
    branch >> EmptyOperator(task_id="no_alert")


cxml_drift_check()
