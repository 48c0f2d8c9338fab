package io.cxml.jobs.training;

import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.Settings;
import io.cxml.language.LanguageOptions;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.runtime.routing.RoutingScorer;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.routing.GlobalLrBaseline;
import io.cxml.training.routing.RoutingMetrics;
import io.cxml.training.routing.RoutingReport;
import io.cxml.training.routing.RoutingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code cxml evaluate routing --model routing[@version|@alias] --data PATH}: the version, its saved MLlib baseline,
 * the most-frequent-team baseline and the champion (when it is another version) on a user's labelled file, scored
 * on the executors; report under {@code evaluations/<name>/<version>/<run>/}.
 */
final class RoutingEvaluation {
    private RoutingEvaluation() {}

    static void run(Settings config, String job, ModelRef ref, String data) {
        RoutingMetrics[] out = new RoutingMetrics[1];
        String[] report = new String[1];
        JobRun.execute(config, job, System.out, (spark, layout, record) -> {
            // A version that reads embeddings finds the file's texts in the stored vectors first.
            io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            ModelManifest m = registry.resolve(ref);
            if (!RoutingRun.TASK.equals(m.task())) {
                throw new IllegalArgumentException("Cannot evaluate " + m.name() + "@" + m.version() + " as routing: "
                        + "it is a " + m.task() + " model. Use `cxml evaluate " + m.task() + "`");
            }
            var hadoop = spark.sparkContext().hadoopConfiguration();
            String label = m.name() + "@" + m.version();
            Dataset<Row> rows = RoutingData.fromFile(spark, data,
                    config.features().languages());
            String champion = registry.aliases(m.name()).champion();
            ModelSource championSource = champion == null || champion.equals(m.version()) ? null
                    : RoutingScorer.source(registry.modelUri(m.name(), champion), m.name() + "@" + champion, hadoop);
            RoutingRun.IntentInput championIntent = championSource == null ? null
                    : registry.readManifest(m.name(), champion).map(c -> RoutingRun.intentOf(c, hadoop)).orElse(null);
            var inputs = io.cxml.training.routing.RoutingEvaluation.withIntent(rows, RoutingRun.intentOf(m, hadoop),
                    championIntent, config.scoring().batchSize(), config.training().device());
            out[0] = io.cxml.training.routing.RoutingEvaluation.evaluate(inputs,
                    RoutingScorer.source(registry.modelUri(m.name(), m.version()), label, hadoop), championSource,
                    GlobalLrBaseline.load(registry.versionUri(m.name(), m.version()) + "/" + GlobalLrBaseline.DIR),
                    "labelled file " + data);
            String target = layout.resolve("evaluations/" + m.name() + "/" + m.version() + "/" + record.runId);
            Path local = layout.isLocal() ? Path.of(java.net.URI.create(target)) : Files.createTempDirectory("eval-");
            Map<String, String> facts = new LinkedHashMap<>();
            facts.put("version", label);
            facts.put("data", data);
            RoutingReport.write(out[0], facts, config.routing().gates().tenantTolerance(), local);
            if (!layout.isLocal()) {
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
                FileSystem fs = dst.getFileSystem(hadoop);
                fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
            }
            report[0] = target + "/" + RoutingReport.REPORT_FILE;
            record.count("examples", out[0].overall.examples);
            record.details.put("model", label);
            record.details.put("data", data);
            record.details.put("top1", out[0].overall.getTop1());
            record.details.put("top3", out[0].overall.getTop3());
            record.details.put("baseline_most_frequent_top1", out[0].overall.getMostFrequent());
            record.details.put("baseline_global_lr_top1", out[0].overall.getGlobalLr());
            record.details.put("report", report[0]);
        });
        RoutingMetrics m = out[0];
        System.out.printf("  %-22s %8s %8s %12s %10s%n", "", "top-1", "top-3", "most-frequent", "global-LR");
        System.out.printf("  %-22s %8s %8s %12s %10s%n", m.model + " (" + m.overall.examples + ")",
                RoutingReport.pct(m.overall.getTop1()), RoutingReport.pct(m.overall.getTop3()),
                RoutingReport.pct(m.overall.getMostFrequent()), RoutingReport.pct(m.overall.getGlobalLr()));
        Map<String, Integer> sources = new TreeMap<>();
        m.perTenant.values().forEach(s -> sources.merge(s.source, 1, Integer::sum));
        System.out.println("  tenants by routing source: " + sources);
        if (m.champion != null) {
            System.out.printf("  champion %s on the same rows: top-1 %s%n", m.champion,
                    RoutingReport.pct(m.overall.getChampion()));
        }
        System.out.println("report: " + report[0]);
    }
}
