/**
 * The feature views defined in code ({@link io.cxml.features.view.FeatureView}: ticket text, customer history,
 * account context), their definitions and fingerprints ({@link io.cxml.features.view.FeatureViewDefinition}) and the
 * options they are built with. Views compute feature rows from curated tickets; the store ({@code io.cxml.features})
 * versions and keeps them.
 */
package io.cxml.features.view;
