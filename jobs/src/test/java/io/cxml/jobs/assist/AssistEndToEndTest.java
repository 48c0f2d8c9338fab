package io.cxml.jobs.assist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import io.cxml.testing.WarehouseTestServers;
import io.cxml.warehouse.JdbcEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent assist as a user runs it, with the tiny XLM-R fixture as base encoder: the sample's knowledge base is
 * ingested (bad lines quarantined, a re-run changes nothing), the tickets are embedded, and {@code cxml assist}
 * writes suggestions in which no neighbour was solved after the ticket was created and no article was archived or
 * replaced before it (on the exact and the HNSW path), publishes them to PostgreSQL, and a re-run gives the same rows
 * and embeds no article again; weights fitted on an earlier window then order the next run, and
 * {@code evaluate assist} reads a labelled file.
 */
@Tag("slow")
class AssistEndToEndTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TINY = LocalSpark.projectDir()
            .resolve("model-runtime/src/test/resources/io/cxml/runtime/text/tiny-xlmr");

    @TempDir
    Path root;
    private final List<String> extra = new ArrayList<>();

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.embeddings.encoder.path=" + TINY, "--conf", "cxml.embeddings.encoder.max-tokens=48",
                "--conf", "cxml.assist.rows-per-task=400", "--conf", "cxml.assist.query-block=32",
                // the larger tenants through the HNSW graph, the others exactly: every check below covers both
                "--conf", "cxml.assist.ann.min-tickets=200", "--conf", "cxml.assist.ann.min-queries=1"));
        all.addAll(extra);
        return super.cxml(all.toArray(new String[0]));
    }

    private JsonNode lastRunRecord(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.sorted().reduce((a, b) -> b).orElseThrow().toFile());
        }
    }

    @Test
    void suggestsOnlyWhatWasKnownWhenTheTicketCameInAndReRunsGiveTheSameRows() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "1200", "--accounts", "4", "--days", "8")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-12")).as(stderrText()).isZero();
        assertThat(cxml("kb-ingest", "--from", "2026-01-01", "--to", "2026-01-09")).as(stderrText()).isZero();
        JsonNode kb = lastRunRecord("kb-ingest");
        assertThat(kb.at("/counts/kb.curated").asLong()).isGreaterThan(100);
        assertThat(kb.at("/counts/kb.read").asLong()).isEqualTo(kb.at("/counts/kb.curated").asLong()
                + kb.at("/counts/kb.quarantined").asLong() + kb.at("/counts/kb.duplicates").asLong());
        assertThat(cxml("kb-ingest", "--from", "2026-01-01", "--to", "2026-01-09")).as(stderrText()).isZero();
        assertThat(lastRunRecord("kb-ingest").at("/counts/kb.curated")).isEqualTo(kb.at("/counts/kb.curated"));
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-01-09")).as(stderrText())
                .isZero();

        JdbcEndpoint pg = WarehouseTestServers.postgres("cxml_assist");
        String schema = pg.properties().getProperty("currentSchema");
        extra.addAll(List.of("--conf", "cxml.warehouse.dialect=postgresql", "--conf", "cxml.warehouse.url=" + pg.url(),
                "--conf", "cxml.warehouse.user=" + pg.user(), "--conf", "cxml.warehouse.schema=" + schema));
        if (pg.properties().getProperty("password") != null) {
            extra.addAll(List.of("--conf", "cxml.warehouse.password=" + pg.properties().getProperty("password")));
        }
        assertThat(cxml("assist", "--from", "2026-01-05", "--to", "2026-01-09")).as(stderrText()).isZero();
        JsonNode run = lastRunRecord("assist");
        assertThat(run.at("/counts/article_chunks_embedded").asLong()).isPositive();
        long queries = run.at("/counts/queries").asLong();
        assertThat(queries).isGreaterThan(300);
        assertThat(run.at("/details/search_tasks").asInt()).as("tenants packed into several tasks").isGreaterThan(1);
        assertThat(run.at("/details/hnsw_tenants").asInt()).as("tenants searched through the graph").isBetween(1, 3);

        SparkSession spark = LocalSpark.get();
        List<String> first = rows(spark);
        Dataset<Row> out = spark.read().parquet(root.resolve("assist/suggestions").toString());
        Dataset<Row> curated = spark.read().parquet(root.resolve("curated/interactions").toString());
        // Point in time over every row: each neighbour of the same tenant, solved strictly before the ticket came in.
        Dataset<Row> neighbours = out.filter("kind = 'ticket' and rank > 0").join(curated.select(
                col("ticket_id").as("suggestion_id"), col("account_id").as("n_account"), col("solved_at")),
                "suggestion_id");
        assertThat(neighbours.count()).isGreaterThan(queries);
        assertThat(neighbours.filter("not (solved_at < created_at) or n_account != account_id").count()).isZero();
        assertThat(neighbours.filter("neighbour_team is null or excerpt is null").count()).isZero();
        // Articles: the version suggested is the one current at the ticket's creation, and not an archiving one.
        Dataset<Row> versions = spark.read().parquet(root.resolve("curated/kb_articles").toString())
                .withColumn("valid_to", functions.lead("updated_at", 1).over(Window.partitionBy("article_id")
                        .orderBy("updated_at")));
        Dataset<Row> articles = out.filter("kind = 'article' and rank > 0").join(versions.select(
                col("article_id").as("suggestion_id"), col("updated_at").as("article_version"), col("archived"),
                col("valid_to"), col("account_id").as("a_account")), new String[] {"suggestion_id",
                    "article_version"}, "left");
        assertThat(articles.count()).isPositive();
        assertThat(articles.filter("archived or article_version > created_at or valid_to <= created_at "
                + "or a_account != account_id or locale is null").count()).isZero();
        assertThat(out.filter("rank = 0 and empty_reason is null").count()).isZero();
        // No fit yet: identity weights, the search's own order.
        assertThat(run.at("/versions/rerank").asText()).isEqualTo("identity");
        assertThat(out.filter("rank > 0 and (rerank_weights != 'identity' or rerank_score != score)").count()).isZero();

        try (Connection c = pg.connect(); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("select count(*) from " + schema + ".ticket_suggestions")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(out.count());
        }

        assertThat(cxml("assist", "--from", "2026-01-05", "--to", "2026-01-09")).as(stderrText()).isZero();
        assertThat(lastRunRecord("assist").at("/counts/article_chunks_embedded").asLong()).isZero();
        assertThat(rows(LocalSpark.get())).isEqualTo(first);
        fitThenAssistAndEvaluateEachStage();
    }

    /** Weights fitted on an earlier window are used by the next assist run; evaluate assist reads --data labels. */
    private void fitThenAssistAndEvaluateEachStage() throws Exception {
        assertThat(cxml("fit-rerank", "--from", "2026-01-03", "--to", "2026-01-05")).isEqualTo(2); // no relevance
        assertThat(cxml("fit-rerank", "--from", "2026-01-03", "--to", "2026-01-05", "--sample-truth"))
                .as(stderrText()).isZero();
        JsonNode fit = lastRunRecord("fit-rerank");
        assertThat(fit.at("/versions/rerank").asText()).isEqualTo("rerank@v1");
        assertThat(fit.at("/counts/queries").asLong()).isPositive();
        assertThat(root.resolve("assist/rerank/weights-v1.json")).exists();

        assertThat(cxml("assist", "--from", "2026-01-05", "--to", "2026-01-09")).as(stderrText()).isZero();
        SparkSession spark = LocalSpark.get(); // each cxml call stops the session it used
        Dataset<Row> out = spark.read().parquet(root.resolve("assist/suggestions").toString()).filter("rank > 0");
        assertThat(out.filter("rerank_weights != 'rerank@v1'").count()).isZero();
        Dataset<Row> previous = out.withColumn("prev", functions.lag("rerank_score", 1).over(
                Window.partitionBy("ticket_id", "kind").orderBy("rank")));
        assertThat(previous.filter("prev < rerank_score").count()).as("ranks follow the re-ranking score").isZero();

        Path labels = root.resolve("labels.csv");
        List<String> lines = new ArrayList<>(List.of("ticket_id,intent,language"));
        spark.read().parquet(root.resolve("curated/interactions").toString()).filter("true_intent is not null")
                .select("ticket_id", "true_intent", "true_language").collectAsList().forEach(r -> lines.add(r.getString(0) + "," + r.getString(1) + "," + r.getString(2)));
        Files.write(labels, lines);
        assertThat(cxml("evaluate", "assist", "--from", "2026-01-05", "--to", "2026-01-09", "--data",
                labels.toString())).as(stderrText()).isZero();
        JsonNode eval = lastRunRecord("evaluate-assist");
        assertThat(eval.at("/versions/rerank").asText()).isEqualTo("rerank@v1");
        assertThat(eval.at("/details/relevance").asText()).isEqualTo(labels.toString());
        for (String stage : List.of("similarity_all", "reranked_all", "tfidf_all")) {
            assertThat(eval.at("/details/" + stage + "/precision_at_k").asDouble()).as(stage).isBetween(0.0, 1.0);
            assertThat(eval.at("/details/" + stage + "/with_neighbour").asLong()).as(stage).isPositive();
        }
        // Ticket labels only: no article is labelled, so no ticket is answerable.
        assertThat(eval.at("/details/similarity_all/answerable").asLong()).isZero();
        Files.write(labels, List.of("ticket_id,intent", "nobody,x"));
        assertThat(cxml("evaluate", "assist", "--from", "2026-01-05", "--to", "2026-01-09", "--data",
                labels.toString())).as("no labelled ticket: empty window").isEqualTo(4);
    }

    private List<String> rows(SparkSession spark) {
        return spark.read().parquet(root.resolve("assist/suggestions").toString()).orderBy("ticket_id", "kind", "rank")
                .collectAsList().stream().map(Row::toString).toList();
    }
}
