/**
 * Text featurization and encoders: turning a string into hashed n-gram ids (no Spark, no DJL) and the encoder
 * interface that maps those ids to a fixed-size vector inside a DJL model.
 */
package io.cxml.runtime.text;
