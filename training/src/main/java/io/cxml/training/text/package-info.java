/**
 * Text classifiers (intent and sentiment), one vertical package as {@code routing} is for routing: the options, the one
 * {@link io.cxml.training.text.EpochLoop} with the two ways of training that plug into it (the hashed or any encoder
 * from scratch, {@link io.cxml.training.text.TextClassifierTrainer}; a pretrained encoder fine-tuned,
 * {@link io.cxml.training.text.PretrainedFineTuner}), training inside a Spark task on the task's device, and the
 * training and evaluation runs behind {@code cxml train} and {@code cxml evaluate} (prepare and split data with
 * Spark, train, fit the baseline, evaluate on the executors, report, register the version). The shared services it
 * uses stay horizontal: {@code data}, {@code eval}, {@code baseline}, {@code profile}, {@code registry}.
 */
package io.cxml.training.text;
