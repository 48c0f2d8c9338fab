/** Batch scoring: Spark ML transformers over DJL predictors. */
package io.cxml.inference;
