/** Command-line plumbing shared by every job: global options, config loading, job runs and errors. */
package io.cxml.jobs.cli;
