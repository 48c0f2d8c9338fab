/** {@code cxml retrain intent}: continuous learning with gated promotion on a fixed evaluation set. */
package io.cxml.jobs.retrain;
