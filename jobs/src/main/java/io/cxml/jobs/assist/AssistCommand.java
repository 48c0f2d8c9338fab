package io.cxml.jobs.assist;

import io.cxml.assist.AssistOptions;
import io.cxml.assist.AssistRun;
import io.cxml.assist.Suggestions;
import io.cxml.assist.kb.ArticleEmbeddings;
import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.assist.rerank.RerankWeights;
import io.cxml.features.FeatureRegistry;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.views.TicketEmbeddingView;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import io.cxml.warehouse.PublishOptions;
import io.cxml.warehouse.PublishResult;
import io.cxml.warehouse.WarehousePublisher;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code cxml assist --from TS --to TS}: suggestions for the tickets created in a window. */
@Command(name = "assist", mixinStandardHelpOptions = true,
        description = {"For every ticket created in the window: the most similar tickets of its tenant solved before "
                + "it was created and the tenant's help-centre articles current then (any language), by exact "
                + "cosine search over the stored embeddings on the executors, re-ranked by the neighbours' outcome, recency "
                + "and the articles' freshness with the latest weights of cxml fit-rerank. Embeds new article versions first. "
                + "Writes assist/suggestions/dt=YYYY-MM-DD (Parquet) and MERGEs into cxml.assist.table. Needs the "
                + "ticket_embedding view (cxml features build with a base encoder) and, for articles, cxml kb-ingest."})
public final class AssistCommand extends CxmlCommand {
    /** Run-record count: rows MERGEd into the warehouse. */
    public static final String PUBLISHED = "published";
    /** Run-record count: article chunks embedded this run. */
    public static final String ARTICLE_CHUNKS_EMBEDDED = "article_chunks_embedded";

    @Mixin
    TimeWindow window = new TimeWindow();

    @Override
    public Integer call() {
        run(settings(), window.from(), window.to());
        return 0;
    }

    /**
     * @param config the settings
     * @param from first creation time included
     * @param to first creation time excluded
     * @return the run record
     */
    public static RunRecord run(Settings config, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new ConfigError("Cannot assist " + from + ".." + to + ": --from must be before --to");
        }
        BaseEncoder base = config.embeddings().requireEncoder();
        return JobRun.execute(config, "assist", System.out, (spark, layout, record) -> {
            AssistOptions o = options(config, base, spark, layout, record, from, to);
            System.out.println("re-ranking weights: " + (o.weights() == RerankWeights.IDENTITY
                    ? "identity (pure similarity: none fitted, see cxml fit-rerank)" : o.weights().version()));
            Dataset<Row> suggestions = new AssistRun(spark, layout).run(o, record);
            publish(config, suggestions, record);
        });
    }

    /**
     * What {@code assist}, {@code evaluate assist} and {@code fit-rerank} search: the window, the view version of the
     * encoder, the article store (new article versions embedded first), the sizes and the latest re-ranking weights.
     *
     * @param config the settings
     * @param base the base encoder
     * @param spark the session
     * @param layout the storage layout
     * @param record the run record (article chunks embedded)
     * @param from first creation time included
     * @param to first creation time excluded
     * @return the options
     */
    static AssistOptions options(Settings config, BaseEncoder base, SparkSession spark, StorageLayout layout,
            RunRecord record, Instant from, Instant to) {
        FeatureRegistry registry = new FeatureRegistry(layout, spark.sparkContext().hadoopConfiguration());
        TicketEmbeddingView view = new TicketEmbeddingView(base, config.embeddings().ttl(),
                config.embeddings().batchSize(), config.training().device());
        FeatureRegistry.VersionEntry version = registry.find(view.definition()).orElseThrow(() -> new ConfigError(
                "Cannot assist: no " + TicketEmbeddingView.NAME + " view of the encoder " + base + ". Run `cxml "
                + "features build --from DATE --to DATE` over the tickets' history first"));
        RerankWeights weights = RerankWeights.latest(layout.resolve(RerankWeights.PATH),
                spark.sparkContext().hadoopConfiguration());
        AssistOptions.Builder options = AssistOptions.builder().setWindow(from, to)
                .setTicketVectors(registry.pathOf(version), TicketEmbeddingView.NAME + "@v" + version.version)
                .setModelVersion(base.fingerprint()).optTopK(config.assist().topK())
                .optRerank(config.assist().rerankCandidates(), weights)
                .optBlocks(config.assist().queryBlock(), config.assist().candidateBlock())
                .optRowsPerTask(config.assist().rowsPerTask()).optExcerptChars(config.assist().excerptChars())
                .optHnsw(config.assist().hnsw());
        embedArticles(config, spark, layout, base, options, record);
        return options.build();
    }

    private static void embedArticles(Settings config, SparkSession spark, StorageLayout layout,
            BaseEncoder base, AssistOptions.Builder options, RunRecord record) {
        String curated = layout.resolve(KnowledgeBaseArticles.CURATED);
        if (!StorageFiles.exists(curated, spark.sparkContext().hadoopConfiguration())) {
            record.details.put("knowledge_base", "none: run cxml kb-ingest to suggest articles");
            return;
        }
        ArticleEmbeddings store = new ArticleEmbeddings(spark, layout, base);
        long embedded = store.update(spark.read().schema(KnowledgeBaseArticles.SCHEMA).parquet(curated),
                config.assist().chunks(), config.embeddings().batchSize(), config.training().device());
        record.count(ARTICLE_CHUNKS_EMBEDDED, embedded);
        options.optArticleVectors(store.path(), "kb_embedding@" + store.version());
    }

    private static void publish(Settings config, Dataset<Row> rows, RunRecord record) {
        String table = config.assist().table();
        if (!config.storage().publishes(table)) {
            return;
        }
        PublishOptions.Builder b = PublishOptions.builder().setTable(table).setKeyColumns(Suggestions.KEYS)
                .optTableComment(Suggestions.TABLE_COMMENT).optBatchSize(config.storage().warehouseBatchSize())
                .optLoadPartitions(config.storage().warehouseLoadPartitions())
                .optRunId(record.runId.replaceAll("[^A-Za-z0-9]", "_"));
        String schema = config.storage().warehouseSchema();
        if (!schema.isBlank()) {
            b.optSchema(schema);
        }
        Suggestions.columnComments().forEach(b::optColumnComment);
        PublishResult r = new WarehousePublisher(config.storage().warehouse(), config.storage().dialect())
                .publish(rows, b.build());
        record.count(PUBLISHED, r.rows());
        record.details.put("warehouse_table", table);
    }
}
