/** SparkSession factory shared by every job. */
package io.cxml.jobs.spark;
