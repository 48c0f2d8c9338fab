/** The sample-data generator: realistic multilingual raw interaction exports from real utterances. */
package io.cxml.jobs.sample;
