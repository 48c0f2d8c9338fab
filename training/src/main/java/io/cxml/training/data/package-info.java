/**
 * Training data: the trainer contract ({@link io.cxml.features.TrainingColumns}), its sources behind
 * {@link io.cxml.training.data.TrainingSetSource} (feature-store training sets read through their manifest, curated
 * tickets, sentiment weak labels, labelled CSV / Parquet files), the public splitter every trainer uses
 * ({@link io.cxml.training.data.DataSplitter}) and the public BANKING77 / xSID readers of the benchmarks.
 */
package io.cxml.training.data;
