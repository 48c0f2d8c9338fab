"""
### cxml ingest and features

Every day, once the day is over: ingests that day's raw interaction export (`raw/interactions/dt=<day>`) into
`curated/interactions` (contract validation, quarantine with reasons, latest version per ticket, idempotent
partition rewrite), then materializes the feature views for the same day (`features build`).

**Window.** The run for the data interval `[D 00:00, D+1 00:00)` UTC (logical date `D`, started just after midnight)
passes `--from D --to D+1` (both jobs take half-open day windows, `--to` left out). A day with no export file fails
the ingest task (outcome `empty`, retried: the export may be late) instead of succeeding on nothing.

**Catchup on purpose.** A missed day is a day of tickets nobody ingested, and both jobs rewrite exactly the partitions
of their window, so re-runs and backfills are safe: `catchup=True`, one run at a time (runs of neighbouring days
touch the same creation-date partitions).

Produces `cxml://curated/interactions` and `cxml://features/views`.
"""

from __future__ import annotations

from airflow.sdk import dag

from cxml_common import (
    CURATED_INTERACTIONS,
    DAY_END,
    DAY_START,
    DEFAULT_ARGS,
    FEATURES,
    PARAMS,
    START_DATE,
    CxmlJob,
    cron,
)


@dag(
    dag_id="cxml_ingest",
    schedule=cron("0 0 * * *"),
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    dagrun_timeout=None,
    tags=["cxml", "ingest", "features"],
    default_args=DEFAULT_ARGS,
    params=PARAMS,
    doc_md=__doc__,
)
def cxml_ingest():
    ingest = CxmlJob(
        task_id="ingest",
        job=["ingest"],
        args=["--from", DAY_START, "--to", DAY_END],
        on_empty="fail",
        outlets=[CURATED_INTERACTIONS],
    )
    features = CxmlJob(
        task_id="features_build",
        job=["features", "build"],
        args=["--from", DAY_START, "--to", DAY_END],
        outlets=[FEATURES],
    )
    ingest >> features


cxml_ingest()
