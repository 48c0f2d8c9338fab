package io.cxml.training.registry;

import java.time.Instant;

/**
 * One entry of a model's alias history, {@code models/<name>/aliases/<sequence>.json}: written once, never changed.
 * The entry with the highest sequence holds the current aliases.
 *
 * @param sequence position in the history, from 1
 * @param action what changed: {@code promote}, {@code rollback} or {@code challenger}
 * @param runId the run that made the change
 * @param at when
 * @param aliases the aliases after the change
 */
public record AliasChange(long sequence, String action, String runId, Instant at, Aliases aliases) {}
