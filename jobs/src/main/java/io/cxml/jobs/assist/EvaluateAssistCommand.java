package io.cxml.jobs.assist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.assist.SuggestionSearch;
import io.cxml.assist.eval.AssistEvaluation;
import io.cxml.assist.eval.RetrievalMetrics;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxml evaluate-assist --from TS --to TS}: the window's suggestions against the truth and a TF-IDF baseline. */
@Command(name = "evaluate-assist", mixinStandardHelpOptions = true,
        description = {"Measure the suggestions `cxml assist` wrote for a window against the sample's truth: "
                + "precision@k and MRR of same-intent solved neighbours, and the article hit rate on answerable "
                + "tickets, per language and tenant, beside a TF-IDF retrieval baseline on the same tickets and "
                + "candidates. Writes evaluations/assist/<run>/metrics.json."})
public final class EvaluateAssistCommand extends CxmlCommand {
    @Mixin
    TimeWindow window = new TimeWindow();

    @Option(names = "--k", paramLabel = "K", description = "Cut-off (default: cxml.assist.top-k).")
    Integer k;

    @Override
    public Integer call() {
        Settings config = settings();
        run(config, window.from(), window.to(), k == null ? config.assist().topK() : k);
        return 0;
    }

    /**
     * @param config the settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @param k the cut-off
     * @return the run record
     */
    public static RunRecord run(Settings config, Instant from, Instant to, int k) {
        return JobRun.execute(config, "evaluate-assist", System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            SuggestionSearch search = new SuggestionSearch(k, config.assist().queryBlock(),
                    config.assist().candidateBlock(), config.assist().rowsPerTask());
            AssistEvaluation.Result r = new AssistEvaluation(spark, layout).run(from, to, k,
                    config.assist().chunks(), search);
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("k", k);
            metrics.put("tickets", r.tickets());
            metrics.put("embedding", RetrievalMetrics.toMaps(r.embedding()));
            metrics.put("tfidf", RetrievalMetrics.toMaps(r.tfidf()));
            record.count("tickets", r.tickets());
            RetrievalMetrics.Slice e = r.embedding().get(0);
            RetrievalMetrics.Slice t = r.tfidf().get(0);
            record.details.put("embedding_all", RetrievalMetrics.toMaps(java.util.List.of(e)).get(0));
            record.details.put("tfidf_all", RetrievalMetrics.toMaps(java.util.List.of(t)).get(0));
            Path target = new Path(layout.resolve("evaluations/assist/" + record.runId + "/metrics.json"));
            try (OutputStream out = target.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(target)) {
                out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics)
                        .getBytes(StandardCharsets.UTF_8));
            }
            record.details.put("metrics", target.toString());
            System.out.printf("%-24s %8s %8s %8s %8s %10s | %8s %8s %10s%n", "slice", "tickets", "answer.",
                    "p@" + k, "MRR", "art.hit", "tfidf p", "MRR", "art.hit");
            for (int i = 0; i < r.embedding().size(); i++) {
                RetrievalMetrics.Slice a = r.embedding().get(i);
                RetrievalMetrics.Slice b = r.tfidf().stream().filter(s -> s.slice().equals(a.slice())).findFirst()
                        .orElse(a);
                System.out.printf("%-24s %8d %8d %8.3f %8.3f %10.3f | %8.3f %8.3f %10.3f%n", a.slice(), a.tickets(),
                        a.answerable(), a.precisionAtK(), a.mrr(), a.articleHitRate(), b.precisionAtK(), b.mrr(),
                        b.articleHitRate());
            }
        });
    }
}
