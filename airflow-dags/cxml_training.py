"""
### cxml training and retraining

Two DAGs around `cxml retrain intent` and `cxml retrain routing`: each trains a challenger on the recent window,
evaluates it and the champion on the same fixed, versioned evaluation set of the registry (plus the recent window),
runs the quality gates and promotes the challenger only when they pass; every step writes a run record
(docs/operations.md). Routing runs after intent because it reads the intent champion's probabilities; it runs
even when the intent retrain failed (`all_done`: the routing models are independent of that failure), and on CPU
(thousands of small linear models: GPUs would idle).

* `cxml_weekly_training`: every Monday, for the 28 days that just ended (`--from` first day, `--to` the
  first day left out: the run's data interval end). The training task asks Spark for a GPU per executor and task (`GPU_CONF`; the DJL training task runs
  on the task's GPU, docs/models.md); trigger with params `{"gpu": false}` on a CPU-only cluster. No catchup: one
  fresh model a week is the point, not one per missed week.
* `cxml_retrain_on_drift`: scheduled on the `cxml://monitor/drift-alert` asset (updated by `cxml_drift_check` when
  drift crossed its alert threshold); runs `retrain intent --if-drifted`, which does nothing unless the last drift
  check alerted, so a duplicate trigger is harmless. Its window is the 28 days before the alert run.

Both update `cxml://models/intent` and `cxml://models/routing` (the scoring DAG scores with whatever is champion
when it runs).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag

from cxml_common import (
    DEFAULT_ARGS,
    DRIFT_ALERT,
    INTENT_MODEL,
    PARAMS,
    ROUTING_MODEL,
    START_DATE,
    CxmlJob,
    cron,
    day_of,
    days_before_end,
)

TRAINING_DAYS = 28
TRAINING_ARGS = {**DEFAULT_ARGS, "retries": 1, "execution_timeout": pendulum.duration(hours=6)}


@dag(
    dag_id="cxml_weekly_training",
    schedule=cron("0 3 * * 1"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=["cxml", "training", "gpu"],
    default_args=TRAINING_ARGS,
    params={**PARAMS, "gpu": Param(True, type="boolean", description="Ask Spark for GPUs (GPU_CONF).")},
    doc_md=__doc__,
)
def cxml_weekly_training():
    window = ["--from", days_before_end(TRAINING_DAYS), "--to", day_of("data_interval_end")]
    intent = CxmlJob(task_id="retrain_intent", job=["retrain", "intent"], args=window, gpu=True,
                     outlets=[INTENT_MODEL])
    routing = CxmlJob(task_id="retrain_routing", job=["retrain", "routing"], args=window, trigger_rule="all_done",
                      outlets=[ROUTING_MODEL])
    intent >> routing


@dag(
    dag_id="cxml_retrain_on_drift",
    schedule=[DRIFT_ALERT],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=["cxml", "training", "gpu", "monitoring"],
    default_args=TRAINING_ARGS,
    params={**PARAMS, "gpu": Param(True, type="boolean", description="Ask Spark for GPUs (GPU_CONF).")},
    doc_md=__doc__,
)
def cxml_retrain_on_drift():
    # An asset-triggered run has no data interval (Airflow 3): the window is the days before the run.
    args = ["--if-drifted", "--from", days_before_end(TRAINING_DAYS, "dag_run.run_after"),
            "--to", day_of("dag_run.run_after")]
    intent = CxmlJob(task_id="retrain_intent", job=["retrain", "intent"], args=args, gpu=True,
                     outlets=[INTENT_MODEL])
    routing = CxmlJob(task_id="retrain_routing", job=["retrain", "routing"], args=args, trigger_rule="all_done",
                      outlets=[ROUTING_MODEL])
    intent >> routing


cxml_weekly_training()
cxml_retrain_on_drift()
