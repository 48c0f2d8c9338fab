"""
### cxml experiment look

Every day, once the day is over, looks at one online experiment (`experiment analyze --experiment NAME --as-of
<end of the day>`; docs/experiments.md): sample-ratio check, CUPED and always-valid intervals of every challenger on
the primary metric and the guardrails, Holm across them. It writes `EXPERIMENT_RESULTS`, the look under
`experiments/<name>/looks/`, the HTML report and the run record of the look.

**Which experiment.** The run's param `experiment`, else the Airflow Variable `cxml_experiment` (resolved when the
task runs). The experiment itself is defined in `cxml.experiments` (the deployment's conf or the Variable `cxml_conf`).

**Acting on the decision** (the look's run record, `details.decision`, as every cxml DAG decides from the run
record; the exit code when no storage root is set). `keep_running` (0) ends in `keep_running`. `ship` (10) updates the
`cxml://experiments/ship` asset, which a promotion DAG can schedule on: promotion still goes through the gates
(`cxml models promote NAME@VERSION`). `stop:harm` (11) and `stop:srm` (12) fail the `alert` task (not retried:
looking again finds the same), so the deployment's failure notifications fire; stop the experiment by setting its
`end` to now in `cxml.experiments` (scoring then serves the control's default models to everyone). Any other failure
fails `analyze` and is retried.

**No catchup.** Always-valid intervals make every look valid, and only the latest look decides.
"""

from __future__ import annotations

import pendulum
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.providers.standard.operators.empty import EmptyOperator
from airflow.sdk import Asset, Param, dag, task

from cxml_common import (
    DEFAULT_ARGS,
    PARAMS,
    SCORED_TICKETS,
    START_DATE,
    TS_END,
    CxmlJob,
    cron,
    exit_code,
)

#: Exit codes of `cxml experiment analyze` (docs/experiments.md#decision-and-exit-code).
DECISIONS = {0: "keep_running", 10: "ship", 11: "stop:harm", 12: "stop:srm"}
#: Updated when a look decides to ship.
EXPERIMENT_SHIP = Asset("cxml://experiments/ship")
#: The experiment of the run: the param, else the Variable (read when the task runs, never at parse time).
EXPERIMENT = "{{ params.experiment or var.value.get('cxml_experiment', '') }}"


class ExperimentLook(CxmlJob):
    """`cxml experiment analyze`: succeeds with the decision as its XCom, read from the look's run record
    (`details.decision`; `stop:*` decisions are recorded with the outcome `alert`); without a storage root, from the
    exit code. Any other failure fails the task as `CxmlJob.decide` says."""

    def decide(self, error: AirflowException | None) -> str:
        if not self.storage_root:
            code = exit_code(error) if error is not None else 0
            if code in DECISIONS:
                if code:
                    self.log.warning("cxml experiment analyze decided %s (exit %d)", DECISIONS[code], code)
                return DECISIONS[code]
            raise error
        super().decide(error)  # raises unless the outcome is success or alert; keeps the record it read
        record = self.run_record or {}
        decision = (record.get("details") or {}).get("decision")
        if decision not in DECISIONS.values():
            raise AirflowException(f"cxml experiment analyze: run record of run {self.run_id} holds no decision "
                                   f"({decision!r})")
        if decision != DECISIONS[0]:
            self.log.warning("cxml experiment analyze decided %s: %s", decision, record.get("reason") or "")
        return decision


@dag(
    dag_id="cxml_experiment_look",
    schedule=cron("0 4 * * *"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=["cxml", "experiments"],
    default_args={**DEFAULT_ARGS, "execution_timeout": pendulum.duration(minutes=60)},
    params={**PARAMS, "experiment": Param(None, type=["null", "string"],
                                          description="Experiment in cxml.experiments (default: Variable "
                                                      "cxml_experiment).")},
    doc_md=__doc__,
)
def cxml_experiment_look():
    decision = ExperimentLook(
        task_id="analyze",
        job=["experiment", "analyze"],
        args=["--experiment", EXPERIMENT, "--as-of", TS_END],
        inlets=[SCORED_TICKETS],
    )

    @task.branch(task_id="on_decision")
    def on_decision(value: str) -> str:
        return {"ship": "ship", "keep_running": "keep_running"}.get(value, "alert")

    @task(task_id="alert", retries=0)
    def alert(value: str) -> None:
        raise AirflowFailException(f"cxml experiment decided {value}: stop it (set its end in cxml.experiments to "
                                   "now); the analyze log and the report say why.")

    branch = on_decision(decision.output)
    branch >> EmptyOperator(task_id="ship", outlets=[EXPERIMENT_SHIP])
    branch >> EmptyOperator(task_id="keep_running")
    branch >> alert(decision.output)


cxml_experiment_look()
