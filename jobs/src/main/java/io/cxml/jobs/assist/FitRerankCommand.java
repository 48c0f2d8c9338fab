package io.cxml.jobs.assist;

import io.cxml.assist.AssistOptions;
import io.cxml.assist.AssistRun;
import io.cxml.assist.eval.RelevanceLabels;
import io.cxml.assist.rerank.RerankFit;
import io.cxml.assist.rerank.RerankWeights;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.EmptyWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.embedding.BaseEncoder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cxml fit-rerank --from TS --to TS (--data FILE | --sample-truth) [--k K]}. */
@Command(name = "fit-rerank", mixinStandardHelpOptions = true,
        description = {"Fit the assist re-ranking weights on a held-out window (earlier than the one you evaluate): "
                + "the window's tickets are searched as `cxml assist` does, and a coordinate search picks the weights "
                + "of the neighbour's CSAT, reopened flag, recency and the article's freshness that maximise "
                + "precision@k + MRR (tickets) and article hit@k + MRR (articles) on the labelled tickets. Writes "
                + "assist/rerank/weights-vN.json, which `cxml assist` uses from then on."})
public final class FitRerankCommand extends CxmlCommand {
    @Mixin
    TimeWindow window = new TimeWindow();

    @ArgGroup(exclusive = true, multiplicity = "1")
    Relevance relevance;

    @Option(names = "--k", paramLabel = "K", description = "Cut-off optimised (default: cxml.assist.top-k).")
    Integer k;

    /** Where relevance comes from: exactly one. */
    static final class Relevance {
        @Option(names = "--data", paramLabel = "FILE", description = "Labelled CSV or Parquet: ticket_id,intent "
                + "[,language][,article_id] (a row with article_id labels that article).")
        String data;

        @Option(names = "--sample-truth", description = "The generated sample's truth columns (sample data only).")
        boolean sampleTruth;
    }

    @Override
    public Integer call() {
        Settings config = settings();
        run(config, window.from(), window.to(), k == null ? config.assist().topK() : k, relevance.data);
        return 0;
    }

    /**
     * @param config the settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @param k the cut-off optimised
     * @param data a labelled file, or null for the sample's truth
     * @return the run record
     */
    public static RunRecord run(Settings config, Instant from, Instant to, int k, String data) {
        if (!from.isBefore(to)) {
            throw new ConfigError("Cannot fit the re-ranking " + from + ".." + to + ": --from must be before --to");
        }
        BaseEncoder base = config.embeddings().requireEncoder();
        return JobRun.execute(config, "fit-rerank", System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            AssistOptions o = AssistCommand.options(config, base, spark, layout, record, from, to);
            RelevanceLabels labels = AssistEvaluationJob.labels(spark, layout, data);
            AssistRun.Pool pool = new AssistRun(spark, layout).pool(o);
            Dataset<Row> rows = labels.markRelevant(pool.rows()).cache();
            if (rows.isEmpty()) {
                throw new EmptyWindow("Cannot fit the re-ranking: no ticket of " + from + ".." + to + " with a stored "
                        + "embedding has a label in " + labels.source());
            }
            RerankFit.Result fit = RerankFit.fit(rows, k);
            rows.unpersist();
            pool.window().unpersist();
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("fitted_on", ordered("from", from.toString(), "to", to.toString()));
            provenance.put("relevance", labels.source());
            provenance.put("k", k);
            provenance.put("candidates", o.candidates());
            provenance.put("queries", fit.queries());
            provenance.put("objective", ordered("tickets_p_at_k_plus_mrr", ordered("similarity",
                    fit.ticketsBefore(), "reranked", fit.ticketsAfter()), "articles_hit_at_k_plus_mrr",
                    ordered("similarity", fit.articlesBefore(), "reranked", fit.articlesAfter())));
            provenance.put("run_id", record.runId);
            RerankWeights saved = RerankWeights.saveNext(layout.resolve(RerankWeights.PATH),
                    spark.sparkContext().hadoopConfiguration(), fit.weights(), provenance);
            record.count("queries", fit.queries());
            record.versions.put("rerank", saved.version());
            record.details.put("rerank_weights", saved.asMap());
            record.details.put("relevance", labels.source());
            record.details.put("objective", provenance.get("objective"));
            System.out.printf("%s (relevance: %s, %d queries): %s%n", saved.version(), labels.source(),
                    fit.queries(), saved.asMap());
            System.out.printf("tickets p@%d + MRR %.4f -> %.4f; articles hit@%d + MRR %.4f -> %.4f%n", k,
                    fit.ticketsBefore(), fit.ticketsAfter(), k, fit.articlesBefore(), fit.articlesAfter());
        });
    }

    /** A two-entry map that keeps its order in the JSON file. */
    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }
}
