/**
 * Pretrained Hugging Face transformer encoders (BERT, MiniLM, XLM-RoBERTa) as a {@link
 * io.cxml.runtime.text.TextEncoder}: the folder's files ({@link io.cxml.runtime.text.pretrained.PretrainedFolder}),
 * its {@code config.json} ({@link io.cxml.runtime.text.pretrained.TransformerConfig}), weights read from {@code
 * model.safetensors} ({@link io.cxml.runtime.text.pretrained.SafeTensors}), the network built from DJL blocks
 * ({@link io.cxml.runtime.text.pretrained.TransformerEncoderBlock}) and tokenization with DJL's Hugging Face tokenizer
 * ({@link io.cxml.runtime.text.pretrained.TokenizerFeaturizer}). Nothing is downloaded.
 */
package io.cxml.runtime.text.pretrained;
