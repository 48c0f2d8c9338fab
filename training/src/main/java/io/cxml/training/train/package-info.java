/**
 * Training: options, the DJL training loop with early stopping, device selection from Spark task resources, and
 * running the loop inside a Spark task.
 */
package io.cxml.training.train;
