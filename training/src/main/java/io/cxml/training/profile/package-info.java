/**
 * Reference profiles: the mix of a model's inputs (language, channel, priority, tenant, team, binned numeric
 * features with their quantiles) and outputs (predicted-class distribution, confidence, unknown rate), overall, per
 * language and per tenant, folded on the executors into mergeable counts. Every trained version stores the profile
 * of its held-out window ({@link io.cxml.training.profile.ReferenceProfiles}); the drift monitor profiles a window
 * of scored tickets the same way and compares the two.
 */
package io.cxml.training.profile;
