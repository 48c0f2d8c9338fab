package io.cxml.experiments;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of one look at an experiment.
 *
 * @param experiment the experiment
 * @param asOf the look
 * @param decision what to do
 * @param reason why, in one sentence
 * @param rows per challenger, metric and slice (overall slice first)
 * @param srmPValue the overall sample-ratio p-value
 * @param srmSlice the slice that raised the sample-ratio alarm, or null
 * @param tickets exposed tickets so far
 * @param matureTickets those with final outcomes
 * @param unitsPerArm units per arm (overall), in arm order
 */
public record AnalysisResult(Experiment experiment, Instant asOf, Decision decision, String reason,
        List<ResultRow> rows, double srmPValue, String srmSlice, long tickets, long matureTickets,
        long[] unitsPerArm) {}
