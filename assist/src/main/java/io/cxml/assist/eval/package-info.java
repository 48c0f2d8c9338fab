/** Measuring agent assist: precision@k and MRR of same-intent neighbours, article hit rate, TF-IDF baseline. */
package io.cxml.assist.eval;
