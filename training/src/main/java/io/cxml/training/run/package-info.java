/**
 * The training and evaluation runs behind {@code cxml train} and {@code cxml evaluate}: prepare and split data with
 * Spark, train in a Spark task, fit the baseline, evaluate, report, and register the version.
 */
package io.cxml.training.run;
