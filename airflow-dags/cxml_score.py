"""
### cxml scoring

Every hour, scores the curated tickets created in the hour that just ended with the champion models
(`score --from <interval start> --to <interval end>`, timestamps, `[from, to)`): language, intent + calibrated
confidence + top-k, sentiment, into `scored/tickets` (and `SCORED_TICKETS` when a warehouse is configured).

**Catchup on purpose.** An hour that was not scored leaves tickets without scores, and `score` rewrites only the
tickets of its window (other tickets of the same day are kept), so backfilling hours is safe: `catchup=True`, one run
at a time (hours of one day rewrite the same day partition).

**Late tickets.** Scoring reads `curated/interactions`; tickets that are ingested after their hour was scored (the
export is daily) are scored by a re-run of that hour: clear the day's runs after `cxml_ingest` finished it, or run
`cxml score` for the day.

Produces `cxml://scored/tickets`, read by the drift check.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag

from cxml_common import (
    CURATED_INTERACTIONS,
    DEFAULT_ARGS,
    PARAMS,
    SCORED_TICKETS,
    START_DATE,
    TS_END,
    TS_START,
    CxmlJob,
    cron,
)


@dag(
    dag_id="cxml_score",
    schedule=cron("0 * * * *"),
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    tags=["cxml", "scoring"],
    default_args={**DEFAULT_ARGS, "retry_delay": pendulum.duration(minutes=5),
                  "execution_timeout": pendulum.duration(minutes=45)},
    params=PARAMS,
    doc_md=__doc__,
)
def cxml_score():
    CxmlJob(
        task_id="score",
        job=["score"],
        args=["--from", TS_START, "--to", TS_END],
        inlets=[CURATED_INTERACTIONS],
        outlets=[SCORED_TICKETS],
    )


cxml_score()
