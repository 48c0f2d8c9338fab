package io.cxml.training.text;

import io.cxml.training.eval.EvaluationReport;
import io.cxml.training.registry.ModelManifest;
import java.nio.file.Path;

/**
 * Result of a training run.
 *
 * @param manifest the registered version's manifest
 * @param report the full report
 * @param reportUri where the registered report lives ({@code .../report/report.html})
 * @param localReport local copy of the HTML report
 */
public record TrainOutcome(ModelManifest manifest, EvaluationReport report, String reportUri, Path localReport) {}
