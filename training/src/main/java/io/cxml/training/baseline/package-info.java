/** Spark MLlib baseline fitted beside every DJL model: word 1-2-gram TF-IDF + multinomial logistic regression. */
package io.cxml.training.baseline;
