/** The cxml command line: one entry point for every job, locally and under spark-submit. */
package io.cxml.jobs;
