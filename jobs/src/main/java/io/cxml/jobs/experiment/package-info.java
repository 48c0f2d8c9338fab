/** {@code cxml experiment analyze}: one look at an online experiment, its decision, table, run record and report. */
package io.cxml.jobs.experiment;
