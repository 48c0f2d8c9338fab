"""
### cxml ingest

Every day, ingests the previous day's raw interaction export (`raw/interactions/dt={{ ds }}`) into
`curated/interactions`: contract validation, quarantine with reasons, latest version per ticket, idempotent
partition rewrite. Safe to re-run or backfill: a re-run of a day gives the same table.

Produces the `cxml://curated/interactions` asset that downstream DAGs (features, training) are scheduled on.
"""

from __future__ import annotations

from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import dag

from cxml_common import (
    CURATED_INTERACTIONS,
    CXML_JAR,
    DEFAULT_ARGS,
    MAIN_CLASS,
    SPARK_CONN_ID,
    START_DATE,
    cxml_args,
)


@dag(
    dag_id="cxml_ingest",
    schedule="@daily",
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    tags=["cxml"],
    default_args=DEFAULT_ARGS,
    doc_md=__doc__,
)
def cxml_ingest():
    SparkSubmitOperator(
        task_id="ingest",
        conn_id=SPARK_CONN_ID,
        application=CXML_JAR,
        java_class=MAIN_CLASS,
        name="cxml-ingest-{{ ds_nodash }}",
        application_args=cxml_args(["ingest"], "--from", "{{ ds }}", "--to", "{{ ds }}"),
        outlets=[CURATED_INTERACTIONS],
    )


cxml_ingest()
