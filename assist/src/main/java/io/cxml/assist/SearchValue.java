package io.cxml.assist;

import java.io.Serializable;

/**
 * What a search task needs of a row besides its {@link SearchKey}: the vector and, for an article chunk, the
 * article, its version and the end of that version's validity. Team, outcome and texts stay out of the search and are
 * joined onto its results, so a task holds only ids, times and vectors.
 *
 * @param vector the embedding
 * @param articleId the article of a chunk, else null
 * @param version the article version's start (microseconds), else 0
 * @param validTo end of the version's validity (microseconds, exclusive), {@link Long#MAX_VALUE} when current
 */
public record SearchValue(float[] vector, String articleId, long version, long validTo) implements Serializable {}
