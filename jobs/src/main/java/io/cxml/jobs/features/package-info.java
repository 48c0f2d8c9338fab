/** {@code cxml features list|build|training-set}: the feature store's command line. */
package io.cxml.jobs.features;
