/**
 * Agent assist: for every new ticket, the most similar solved tickets and the current help-centre articles of its
 * tenant, by exact cosine search over the stored sentence embeddings on the executors, point in time
 * ({@link io.cxml.assist.AssistRun}, {@link io.cxml.assist.SuggestionSearch}); and its evaluation.
 */
package io.cxml.assist;
