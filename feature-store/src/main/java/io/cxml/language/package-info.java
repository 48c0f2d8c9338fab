/**
 * Language detection with Lingua restricted to the configured languages: a plain-Java {@link
 * io.cxml.language.LanguageDetector} (one shared instance per JVM and language set) and its Spark column function.
 */
package io.cxml.language;
