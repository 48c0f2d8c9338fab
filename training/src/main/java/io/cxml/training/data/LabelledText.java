package io.cxml.training.data;

import java.io.Serializable;

/**
 * One training or evaluation example.
 *
 * @param text the input text
 * @param label the gold label
 * @param language language code, or null when unknown
 * @param tenant tenant (account) id, or null when unknown
 */
public record LabelledText(String text, String label, String language, String tenant) implements Serializable {}
