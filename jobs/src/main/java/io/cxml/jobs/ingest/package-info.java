/** The ingest job's command-line wiring. */
package io.cxml.jobs.ingest;
