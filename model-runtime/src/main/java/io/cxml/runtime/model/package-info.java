/**
 * The text classifier: its persisted spec, DJL block, translator and the {@link io.cxml.runtime.model.TextClassifier}
 * load/predict API (top-k labels with calibrated confidence) shared by evaluation and batch inference.
 */
package io.cxml.runtime.model;
