/**
 * Sentence embeddings of a frozen pretrained base encoder and the small heads trained on them: the base encoder a
 * job names ({@link io.cxml.runtime.embedding.BaseEncoder}), the lookup of stored vectors
 * ({@link io.cxml.runtime.embedding.EmbeddingStore}) and the linear head that intent and sentiment versions of kind
 * {@value io.cxml.runtime.embedding.EmbeddingHead#KIND} are.
 */
package io.cxml.runtime.embedding;
