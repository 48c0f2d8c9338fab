/**
 * Training data: labelled-file readers (CSV, Parquet, and the public BANKING77 / xSID formats), the curated-tickets
 * reader behind {@link io.cxml.training.data.TrainingSetSource}, sentiment weak labels and train/validation/test
 * splits.
 */
package io.cxml.training.data;
