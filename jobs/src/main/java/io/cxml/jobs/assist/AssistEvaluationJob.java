package io.cxml.jobs.assist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.assist.AssistOptions;
import io.cxml.assist.eval.AssistEvaluation;
import io.cxml.assist.eval.RelevanceLabels;
import io.cxml.assist.eval.RetrievalMetrics;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.contract.CuratedInteractions;
import io.cxml.jobs.cli.EmptyWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * {@code cxml evaluate assist --from TS --to TS [--k K] [--data FILE]}: each stage of assist (similarity, re-ranked,
 * TF-IDF baseline) on the window's labelled tickets; {@code evaluations/assist/<run>/metrics.json} and a table.
 */
public final class AssistEvaluationJob {
    private AssistEvaluationJob() {}

    /**
     * @param config the settings
     * @param job the run record's job name
     * @param from first creation time included
     * @param to first creation time excluded
     * @param k the cut-off
     * @param data a labelled file, or null for the sample's truth
     * @return the run record
     */
    public static RunRecord run(Settings config, String job, Instant from, Instant to, int k, String data) {
        if (!from.isBefore(to)) {
            throw new ConfigError("Cannot evaluate assist " + from + ".." + to + ": --from must be before --to");
        }
        BaseEncoder base = config.embeddings().requireEncoder();
        return JobRun.execute(config, job, System.out, (spark, layout, record) -> {
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            AssistOptions o = AssistCommand.options(config, base, spark, layout, record, from, to);
            RelevanceLabels labels = labels(spark, layout, data);
            System.out.println("relevance: " + labels.source() + "; re-ranking weights: " + o.weights().version());
            AssistEvaluation.Result r = new AssistEvaluation(spark, layout).run(o, k, labels,
                    config.assist().chunks());
            if (r.tickets() == 0) {
                throw new EmptyWindow("No ticket of " + from + ".." + to + " with a stored embedding has a label in "
                        + labels.source() + ": nothing to evaluate (pass --data with a labelled export)");
            }
            Map<String, Object> metrics = new LinkedHashMap<>();
            metrics.put("k", k);
            metrics.put("tickets", r.tickets());
            metrics.put("relevance", labels.source());
            metrics.put("rerank_weights", r.weights().version());
            metrics.put("rerank_weight_values", r.weights().asMap());
            metrics.put("rerank_candidates", o.candidates());
            metrics.put("similarity", RetrievalMetrics.toMaps(r.similarity()));
            metrics.put("reranked", RetrievalMetrics.toMaps(r.reranked()));
            metrics.put("tfidf", RetrievalMetrics.toMaps(r.tfidf()));
            record.count("tickets", r.tickets());
            record.versions.put("rerank", r.weights().version());
            record.details.put("relevance", labels.source());
            record.details.put("similarity_all", RetrievalMetrics.toMaps(List.of(r.similarity().get(0))).get(0));
            record.details.put("reranked_all", RetrievalMetrics.toMaps(List.of(r.reranked().get(0))).get(0));
            record.details.put("tfidf_all", RetrievalMetrics.toMaps(List.of(r.tfidf().get(0))).get(0));
            Path target = new Path(layout.resolve("evaluations/assist/" + record.runId + "/metrics.json"));
            try (OutputStream out = target.getFileSystem(spark.sparkContext().hadoopConfiguration()).create(target)) {
                out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics)
                        .getBytes(StandardCharsets.UTF_8));
            }
            record.details.put("metrics", target.toString());
            print(r, k);
        });
    }

    /** The labels of {@code --data}, or the sample's truth when there is no file. */
    static RelevanceLabels labels(SparkSession spark, StorageLayout layout, String data) {
        if (data != null) {
            return RelevanceLabels.file(spark, data);
        }
        String kb = layout.resolve(KnowledgeBaseArticles.CURATED);
        return RelevanceLabels.sampleTruth(spark.read().schema(CuratedInteractions.SCHEMA)
                        .parquet(layout.curatedInteractions()),
                StorageFiles.exists(kb, spark.sparkContext().hadoopConfiguration())
                        ? spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(kb) : null);
    }

    private static void print(AssistEvaluation.Result r, int k) {
        System.out.printf("%-24s %7s %7s | %-22s | %-22s | %-22s%n", "", "", "", "similarity", "re-ranked",
                "TF-IDF");
        System.out.printf("%-24s %7s %7s | %6s %6s %8s | %6s %6s %8s | %6s %6s %8s%n", "slice", "tickets",
                "answer.", "p@" + k, "MRR", "art.hit", "p@" + k, "MRR", "art.hit", "p@" + k, "MRR", "art.hit");
        for (RetrievalMetrics.Slice a : r.similarity()) {
            RetrievalMetrics.Slice b = find(r.reranked(), a);
            RetrievalMetrics.Slice c = find(r.tfidf(), a);
            System.out.printf("%-24s %7d %7d | %6.3f %6.3f %8.3f | %6.3f %6.3f %8.3f | %6.3f %6.3f %8.3f%n",
                    a.slice(), a.tickets(), a.answerable(), a.precisionAtK(), a.mrr(), a.articleHitRate(),
                    b.precisionAtK(), b.mrr(), b.articleHitRate(), c.precisionAtK(), c.mrr(), c.articleHitRate());
        }
    }

    private static RetrievalMetrics.Slice find(List<RetrievalMetrics.Slice> slices, RetrievalMetrics.Slice like) {
        return slices.stream().filter(s -> s.slice().equals(like.slice())).findFirst().orElse(like);
    }
}
