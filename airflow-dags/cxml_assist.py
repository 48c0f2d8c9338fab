"""
### cxml agent assist

Every day, once the day's tickets are ingested and embedded (`cxml_ingest` runs at midnight), suggests for every
ticket created that day the most similar tickets of its tenant solved before it and the tenant's help-centre
articles current then, re-ranked with the latest fitted weights (`assist --from D --to D+1`), into
`assist/suggestions` (and `TICKET_SUGGESTIONS` when a warehouse is configured); then measures each stage
(similarity, re-ranked, TF-IDF) on the day's labelled tickets (`evaluate assist --from D --to D+1`).

**Evaluation needs labels.** `evaluate assist` without `--data` reads the sample's truth: on production data no
ticket carries one, the job ends `empty` and the task is skipped. Measure a labelled export by hand
(`cxml evaluate assist --from D --to D+1 --data FILE`); fit the re-ranking weights the same way (`cxml fit-rerank`).

**Catchup on purpose.** A missed day is a day of tickets without suggestions, and `assist` rewrites only the tickets of
its window, so backfills are safe: `catchup=True`, one run at a time (the same day partitions). A day without a
ticket embedding view (no base encoder configured) fails `assist` with its message (exit 2, not retried usefully).

Reads `cxml://features/views`; produces `cxml://assist/suggestions`.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import dag

from cxml_common import (
    ASSIST_SUGGESTIONS,
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
    dag_id="cxml_assist",
    schedule=cron("0 1 * * *"),
    start_date=START_DATE,
    catchup=True,
    max_active_runs=1,
    tags=["cxml", "assist"],
    default_args={**DEFAULT_ARGS, "execution_timeout": pendulum.duration(hours=1)},
    params=PARAMS,
    doc_md=__doc__,
)
def cxml_assist():
    window = ["--from", DAY_START, "--to", DAY_END]
    assist = CxmlJob(task_id="assist", job=["assist"], args=window, inlets=[FEATURES], outlets=[ASSIST_SUGGESTIONS])
    evaluate = CxmlJob(task_id="evaluate_assist", job=["evaluate", "assist"], args=window,
                       inlets=[ASSIST_SUGGESTIONS])
    assist >> evaluate


cxml_assist()
