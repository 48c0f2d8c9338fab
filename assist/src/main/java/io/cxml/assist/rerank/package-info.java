/**
 * Second stage of agent assist: the exact search's candidate pool re-ordered by a linear score of the cosine, the
 * neighbour's outcome and recency, and the article's freshness ({@link io.cxml.assist.rerank.Reranker}), with
 * weights fitted on held-out labelled queries ({@link io.cxml.assist.rerank.RerankFit}) and kept as versioned files
 * ({@link io.cxml.assist.rerank.RerankWeights}).
 */
package io.cxml.assist.rerank;
