/**
 * Model registry on any Hadoop file system ({@code models/<name>/<version>/}, manifest written last), aliases
 * ({@code champion}, {@code challenger}) and the quality gates that guard promotion.
 */
package io.cxml.training.registry;
