/**
 * Model jobs: {@code cxml train intent|sentiment}, {@code cxml evaluate}, {@code cxml models
 * list|show|promote|rollback}. They read {@code cxml.training.*} and {@code cxml.models.*} into the training
 * module's typed options.
 */
package io.cxml.jobs.training;
