/** {@code cxml score}: scoring a window of tickets into scored/tickets and SCORED_TICKETS. */
package io.cxml.jobs.scoring;
