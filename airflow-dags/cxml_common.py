"""Settings shared by the cxml DAGs: where the jar is, which config overlay, which Spark connection.

Deployments set these as environment variables of the Airflow workers; nothing here holds a secret (the jobs read
their credentials from the workers' environment or the cluster's provider chain).
"""

from __future__ import annotations

import os

import pendulum
from airflow.sdk import Asset

#: The shaded jar built by `mvn package` (jobs/target/cxml.jar), deployed where the workers can read it.
CXML_JAR = os.environ.get("CXML_JAR", "/opt/cxml/cxml.jar")
#: Config overlay passed as --env (conf/<env>.conf inside the jar).
CXML_ENV = os.environ.get("CXML_ENV", "prod")
#: Airflow connection of the Spark cluster (its host is the master: yarn, k8s://..., local[*]).
SPARK_CONN_ID = os.environ.get("CXML_SPARK_CONN_ID", "spark_default")
#: Entry point of every cxml job.
MAIN_CLASS = "io.cxml.jobs.Cxml"

#: Datasets the DAGs hand to each other: a consumer runs when its producer updated them.
CURATED_INTERACTIONS = Asset("cxml://curated/interactions")

DEFAULT_ARGS = {"retries": 2, "retry_delay": pendulum.duration(minutes=10)}
START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")


def cxml_args(job: list[str], *extra: str) -> list[str]:
    """Arguments of `spark-submit ... cxml.jar`: the job, the environment overlay, then job options."""
    return [*job, "--env", CXML_ENV, *extra]
