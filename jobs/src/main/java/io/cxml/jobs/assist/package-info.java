/** The agent-assist commands: {@code cxml kb-ingest} and {@code cxml assist} (docs/assist.md). */
package io.cxml.jobs.assist;
