/**
 * {@code cxml experiment}: analyze (one look at an online experiment, its decision, table, run record and report),
 * simulate-outcomes (the sample's planted effect) and replay (the off-policy estimate on logged tickets).
 */
package io.cxml.jobs.experiment;
