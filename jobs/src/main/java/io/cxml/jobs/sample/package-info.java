/**
 * The sample-data generator: realistic multilingual raw interaction exports from real utterances, each sentence at
 * home in one period of the history (so a time-based held-out window is unseen), varied the way real tickets are,
 * with customer follow-ups whose tone carries the outcome.
 */
package io.cxml.jobs.sample;
