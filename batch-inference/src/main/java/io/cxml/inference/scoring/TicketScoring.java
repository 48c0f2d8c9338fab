package io.cxml.inference.scoring;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingHead;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.stages.EmbeddingStage;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import io.cxml.experiments.Assignment;
import io.cxml.experiments.Experiment;
import io.cxml.features.TrainingColumns;
import io.cxml.runs.RunRecord;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingData;
import io.cxml.runtime.stages.LanguageStage;
import io.cxml.runtime.stages.RoutingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a window of curated tickets (by creation time) on the executors and rewrites the touched
 * {@code dt=} partitions of {@code scored/tickets} and {@code quarantine/scoring}: rows of those days outside the
 * window are kept, rows of the window are replaced, so re-running a window gives the same table and a new model
 * version replaces the rows it re-scores. Everything is staged first; the final partitions change only after the
 * staged output is complete. Counts reconcile: {@code read = scored + skipped}.
 */
public final class TicketScoring {
    /** Run-record counts. */
    public static final String READ = "read";
    public static final String SCORED = "scored";
    public static final String SKIPPED = "skipped";
    /** Run-record count: tickets the base encoder embedded because the ticket_embedding view lacked them. */
    public static final String EMBEDDED = "embedded";
    private static final Logger LOG = LoggerFactory.getLogger(TicketScoring.class);
    private static final String TEXT = "_text";
    private static final String ACTIVE_TEAMS = "_active_teams";
    private static final String GATE = "_gate";
    private static final String SCORED_TEXT = "_scored_text";
    /** Variant key of the tickets outside the experiment. */
    private static final String OUTSIDE = "";

    private final SparkSession spark;
    private final StorageLayout layout;

    /**
     * @param spark the session (dynamic partition overwrite enabled)
     * @param layout the storage layout
     */
    public TicketScoring(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
    }

    /** @return the scored tickets table */
    public String scoredPath() {
        return layout.resolve("scored/" + ScoredTickets.DATASET);
    }

    /** @return the quarantine of tickets that were not scored */
    public String skippedPath() {
        return layout.quarantine("scoring");
    }

    /**
     * @param options the window and models
     * @param record the run record to fill
     * @return the scored rows of the window (staged; valid until the next run of this job), for publishing
     */
    public Dataset<Row> run(ScoringOptions options, RunRecord record) {
        List<Dataset<Row>> kept = new ArrayList<>();
        List<EmbeddingStage.Counts> embedded = new ArrayList<>();
        Dataset<Row> decided = decide(options, record, kept, embedded).persist(StorageLevel.MEMORY_AND_DISK());
        kept.add(decided);
        try {
            String staging = layout.resolve("_staging/score/" + record.runId);
            Dataset<Row> scored = finish(decided.where(col(GATE).isNull()), options, record);
            LOG.info("Step 2/3: scoring on the executors into {}", staging);
            scored.write().mode(SaveMode.Overwrite).parquet(staging + "/scored");
            decided.where(col(GATE).isNotNull())
                    .select(col(ScoredTickets.TICKET_ID), col(ScoredTickets.ACCOUNT_ID), col(ScoredTickets.CREATED_AT),
                            col(GATE).as(ScoredTickets.REASON), lit(record.runId).as(ScoredTickets.RUN_ID),
                            to_date(col(ScoredTickets.CREATED_AT)).as(ScoredTickets.DT))
                    .write().mode(SaveMode.Overwrite).parquet(staging + "/skipped");
            Dataset<Row> stagedScored = spark.read().parquet(staging + "/scored");
            Dataset<Row> stagedSkipped = spark.read().parquet(staging + "/skipped");
            long read = decided.count();
            long scoredRows = stagedScored.count();
            record.count(READ, read).count(SCORED, scoredRows);
            for (Row r : stagedSkipped.groupBy(ScoredTickets.REASON).count().orderBy(ScoredTickets.REASON)
                    .collectAsList()) {
                record.count(SKIPPED + "_" + r.getString(0), r.getLong(1));
            }
            if (!embedded.isEmpty()) {
                record.count(EMBEDDED, embedded.stream().mapToLong(c -> c.embedded().value()).sum());
            }
            long skipped = stagedSkipped.count();
            record.count(SKIPPED, skipped);
            if (read != scoredRows + skipped) {
                throw new IllegalStateException("Cannot finish scoring: read " + read + " = scored " + scoredRows
                        + " + skipped " + skipped + " does not hold. Re-run the window");
            }
            LOG.info("Step 3/3: rewriting the touched days of {} and {}", scoredPath(), skippedPath());
            Dataset<Row> windowIds = decided.select(ScoredTickets.TICKET_ID);
            rewrite(stagedScored, windowIds, scoredPath(), staging + "/scored-merged");
            rewrite(stagedSkipped, windowIds, skippedPath(), staging + "/skipped-merged");
            record.details.put("scored_table", scoredPath());
            record.details.put("skipped_table", skippedPath());
            return spark.read().parquet(staging + "/scored");
        } finally {
            kept.forEach(Dataset::unpersist);
        }
    }

    /**
     * Offline routing, for the experiment replay: the team the options' models route each ticket of the window to,
     * computed like {@link #run} but written nowhere.
     *
     * @param options the window and models (routing required, no experiment)
     * @param record the run record (feature versions)
     * @param use reads the routes ({@code ticket_id}, {@code routed_team}; scored tickets only) while they are kept
     * @param <T> what {@code use} returns
     * @return what {@code use} returns
     */
    public <T> T routes(ScoringOptions options, RunRecord record, java.util.function.Function<Dataset<Row>, T> use) {
        if (options.routing() == null || options.experiment() != null) {
            throw new IllegalArgumentException("Cannot route offline without a routing model or with an experiment");
        }
        List<Dataset<Row>> kept = new ArrayList<>();
        try {
            Dataset<Row> decided = decide(options, record, kept, new ArrayList<>());
            return use.apply(decided.where(col(GATE).isNull()).select(col(ScoredTickets.TICKET_ID),
                    col(ScoredTickets.ROUTING + "_team").as(ScoredTickets.ROUTED_TEAM)));
        } finally {
            kept.forEach(Dataset::unpersist);
        }
    }

    /**
     * The window's tickets through each group's pipeline, not yet computed: {@link #GATE} says why a ticket is not
     * scored. What it keeps in memory on the way goes to {@code kept}, to unpersist once the rows are used.
     */
    private Dataset<Row> decide(ScoringOptions options, RunRecord record, List<Dataset<Row>> kept,
            List<EmbeddingStage.Counts> embedded) {
        Map<String, ScoringOptions> variants = variants(options);
        Map<String, PipelineModel> pipelines = new LinkedHashMap<>();
        variants.forEach((arm, o) -> pipelines.put(arm, pipeline(o)));
        LOG.info("Step 1/3: reading curated tickets created in [{}, {})", options.from(), options.to());
        Dataset<Row> window = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions())
                .where(col(CuratedInteractions.DT).between(Date.valueOf(day(options.from())),
                        Date.valueOf(day(options.to()))))
                .where(col(CuratedInteractions.CREATED_AT).geq(lit(Timestamp.from(options.from())))
                        .and(col(CuratedInteractions.CREATED_AT).lt(lit(Timestamp.from(options.to())))))
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                        col(CuratedInteractions.CREATED_AT), col(CuratedInteractions.REQUESTER_ID),
                        col(CuratedInteractions.TEXT).as(TEXT));
        Column reason = when(col(TEXT).isNull().or(trim(col(TEXT)).equalTo("")), lit(ScoredTickets.EMPTY_TEXT))
                .when(length(col(TEXT)).gt(options.maxTextChars()), lit(ScoredTickets.TEXT_TOO_LONG));
        // Kept: the routing join then reads a materialised window, so a task re-run after a lost executor meets its
        // rows in the same order and batches them alike (a model's last float bits depend on the batch).
        Dataset<Row> checked = window.withColumn(ScoredTickets.REASON, reason)
                .withColumn(TEXT, when(col(ScoredTickets.REASON).isNull(), col(TEXT)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        kept.add(checked);
        Dataset<Row> input = options.routing() == null ? checked : withRoutingInputs(checked, options, record);
        input = withArms(input, options.experiment());
        java.util.Set<String> attached = new java.util.HashSet<>();
        for (PipelineModel pipeline : pipelines.values()) {
            for (Transformer stage : pipeline.stages()) {
                if (stage instanceof EmbeddingStage embed) { // the heads' vectors: stored ones first, the rest embedded
                    if (attached.add(embed.embeddingCol())) {
                        input = EmbeddingStore.attach(input, TEXT, embed.encoder(), embed.embeddingCol(),
                                embed.truncatedCol());
                    }
                    embedded.add(embed.countWith(spark.sparkContext()));
                }
            }
        }
        // Each arm's pipeline reads its part of the same input: kept, so the joins above run once.
        Dataset<Row> shared = pipelines.size() > 1 ? input.persist(StorageLevel.MEMORY_AND_DISK()) : null;
        if (shared != null) {
            kept.add(shared);
            input = shared;
        }
        // One pass: every stage of the pipeline runs on the executors; the result is kept for the two writes and
        // the counts, so no ticket is scored twice.
        // Sorted within each partition: a task re-run after a lost executor reads its shuffled rows in another order,
        // and the models' float sums depend (in their last bits) on which rows share a batch.
        Dataset<Row> sorted = input.sortWithinPartitions(ScoredTickets.TICKET_ID);
        Dataset<Row> decided = null;
        for (Map.Entry<String, PipelineModel> e : pipelines.entrySet()) {
            Dataset<Row> served = servedBy(e.getValue(), sorted, e.getKey(), variants.get(e.getKey()));
            decided = decided == null ? served : decided.unionByName(served);
        }
        return decided;
    }

    /** Deletes the run's staging folder (after publishing). */
    public void cleanUp(RunRecord record) {
        StorageFiles.deleteIfExists(layout.resolve("_staging/score/" + record.runId),
                spark.sparkContext().hadoopConfiguration());
    }

    /**
     * The options of every group of tickets scored alike: {@link #OUTSIDE} (tickets outside the experiment, or every
     * ticket without one) gets the run's models, each arm its own version of the experiment's model.
     */
    private static Map<String, ScoringOptions> variants(ScoringOptions options) {
        Map<String, ScoringOptions> variants = new LinkedHashMap<>();
        variants.put(OUTSIDE, options);
        if (options.experiment() != null) {
            options.experiment().armModels().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                    variants.put(e.getKey(), options.withModel(options.experiment().task(), e.getValue())));
        }
        return variants;
    }

    /**
     * Adds {@link ScoredTickets#EXPERIMENT} and {@link ScoredTickets#ARM}: the arm of each ticket created during the
     * experiment whose unit the salted hash puts in it (computed on the executors), null for the others.
     */
    private static Dataset<Row> withArms(Dataset<Row> tickets, ScoringExperiment scoring) {
        if (scoring == null) {
            return tickets.withColumn(ScoredTickets.EXPERIMENT, lit(null).cast("string"))
                    .withColumn(ScoredTickets.ARM, lit(null).cast("string"));
        }
        Experiment e = scoring.experiment();
        Column during = col(ScoredTickets.CREATED_AT).geq(lit(Timestamp.from(e.start())))
                .and(col(ScoredTickets.CREATED_AT).lt(lit(Timestamp.from(e.end()))));
        return tickets.withColumn(ScoredTickets.ARM, when(during, Assignment.armColumn(e, col(e.unit().column()))))
                .withColumn(ScoredTickets.EXPERIMENT, when(col(ScoredTickets.ARM).isNotNull(), lit(e.name())));
    }

    /** The tickets of one group scored by its pipeline, with the versions that scored them. */
    private static Dataset<Row> servedBy(PipelineModel pipeline, Dataset<Row> tickets, String arm, ScoringOptions o) {
        Column group = arm.equals(OUTSIDE) ? col(ScoredTickets.ARM).isNull() : col(ScoredTickets.ARM).equalTo(arm);
        return pipeline.transform(tickets.where(group))
                .withColumn(ScoredTickets.INTENT_MODEL, lit(o.intent().label()))
                .withColumn(ScoredTickets.SENTIMENT_MODEL, o.sentiment() == null ? lit(null).cast("string")
                        : lit(o.sentiment().label()))
                .withColumn(ScoredTickets.ROUTING_MODEL, o.routing() == null ? lit(null).cast("string")
                        : lit(o.routing().label()));
    }

    /**
     * The scoring pipeline: language detection; the gate that keeps the supported languages (a ticket of another
     * language gets its reason and no text, so the models skip it); intent (with its probabilities when routing
     * reads them); sentiment; routing. The rows come in with their reason for empty or oversized text already set.
     */
    PipelineModel pipeline(ScoringOptions o) {
        List<Transformer> stages = new ArrayList<>();
        stages.add(new LanguageStage().setInputCol(TEXT).setOutputPrefix(ScoredTickets.LANGUAGE)
                .setLanguages(o.languages().languages().toArray(new String[0])));
        stages.add(gate(o.languages().languages()));
        // One encoder pass for every head on the same base encoder (intent and sentiment usually share it).
        java.util.Set<String> embedded = new java.util.HashSet<>();
        for (ScoringModel model : java.util.Arrays.asList(o.intent(), o.sentiment())) {
            ClassifierSpec spec = model == null ? null : ModelSource.readSpec(model.modelUri(),
                    spark.sparkContext().hadoopConfiguration());
            if (spec != null && EmbeddingHead.isHead(spec)) {
                BaseEncoder base = BaseEncoder.fromParams(spec.encoder().params());
                if (embedded.add(base.fingerprint())) {
                    stages.add(new EmbeddingStage().setInputCol(SCORED_TEXT).setEncoder(base)
                            .setOutputPrefix(EmbeddingStage.columnFor(base)).setDevice(o.device()));
                }
            }
        }
        TextClassifierStage intent = classifier(o.intent(), ScoredTickets.INTENT, o);
        if (o.routing() != null) {
            intent.setProbabilitiesCol(RoutingColumns.INTENT);
        }
        stages.add(intent);
        if (o.sentiment() != null) {
            stages.add(classifier(o.sentiment(), ScoredTickets.SENTIMENT, o));
        }
        if (o.routing() != null) {
            stages.add(new RoutingStage().setInputCol(SCORED_TEXT).setOutputPrefix(ScoredTickets.ROUTING)
                    .setModelUri(o.routing().modelUri()).setModelLabel(o.routing().label())
                    .setIntentLabels(ModelSource.readSpec(o.intent().modelUri(),
                            spark.sparkContext().hadoopConfiguration()).labels().toArray(new String[0]))
                    .setActiveTeamsCol(o.activeTeamDays() > 0 ? ACTIVE_TEAMS : ""));
        }
        return new PipelineModel("cxmlScoring", stages.toArray(new Transformer[0]));
    }

    /** Why a ticket is not scored ({@link #GATE}), and the text the models read ({@link #SCORED_TEXT}: null then). */
    private static SQLTransformer gate(List<String> languages) {
        String supported = languages.stream().map(l -> "'" + l.replace("'", "''") + "'")
                .collect(java.util.stream.Collectors.joining(", "));
        String why = "CASE WHEN " + ScoredTickets.REASON + " IS NOT NULL THEN " + ScoredTickets.REASON + " WHEN "
                + ScoredTickets.LANGUAGE + " NOT IN (" + supported + ") THEN '" + ScoredTickets.UNSUPPORTED_LANGUAGE
                + "' END";
        return new SQLTransformer("cxmlScoringGate").setStatement("SELECT *, " + why + " AS " + GATE + ", CASE WHEN ("
                + why + ") IS NULL THEN " + TEXT + " END AS " + SCORED_TEXT + " FROM __THIS__");
    }

    private static TextClassifierStage classifier(ScoringModel model, String prefix, ScoringOptions o) {
        return new TextClassifierStage().setInputCol(SCORED_TEXT).setOutputPrefix(prefix).setModelUri(model.modelUri())
                .setModelLabel(model.label()).setBatchSize(o.batchSize()).setTopK(o.topK()).setDevice(o.device());
    }

    /**
     * The routing inputs as of each ticket's creation, from the same point-in-time join training used (channel,
     * priority, customer history, account load), and each tenant's current teams: those that solved a ticket in the
     * {@code activeTeamDays} before the window.
     */
    private Dataset<Row> withRoutingInputs(Dataset<Row> window, ScoringOptions o, RunRecord record) {
        java.util.Map<String, String> versions = new java.util.LinkedHashMap<>();
        Dataset<Row> features = RoutingData.fromFeatureStore(spark, layout, o.from(), o.to(), false, versions)
                .drop(TrainingColumns.TEXT, TrainingColumns.LABEL, TrainingColumns.LANGUAGE, TrainingColumns.TENANT,
                        TrainingColumns.EVENT_TIME);
        versions.forEach((view, v) -> record.versions.put("features." + view, v));
        Dataset<Row> out = window.withColumn(TrainingColumns.TENANT, col(ScoredTickets.ACCOUNT_ID))
                .join(features, ScoredTickets.TICKET_ID, "left");
        if (o.activeTeamDays() > 0) {
            Instant since = o.from().minus(java.time.Duration.ofDays(o.activeTeamDays()));
            Dataset<Row> active = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions())
                    .where(col(CuratedInteractions.SOLVED_AT).geq(lit(Timestamp.from(since)))
                            .and(col(CuratedInteractions.SOLVED_AT).lt(lit(Timestamp.from(o.from()))))
                            .and(col(CuratedInteractions.ASSIGNED_GROUP).isNotNull()))
                    .groupBy(col(CuratedInteractions.ACCOUNT_ID).as(TrainingColumns.TENANT))
                    .agg(org.apache.spark.sql.functions.collect_set(col(CuratedInteractions.ASSIGNED_GROUP))
                            .as(ACTIVE_TEAMS));
            out = out.join(active, TrainingColumns.TENANT, "left");
        }
        return out;
    }

    private Dataset<Row> finish(Dataset<Row> scored, ScoringOptions o, RunRecord record) {
        Dataset<Row> out = scored;
        if (o.routing() == null) {
            out = out.withColumn(ScoredTickets.ROUTED_TEAM, lit(null).cast("string"));
            for (String c : List.of("_confidence", "_top3", "_source", "_retired_avoided")) {
                out = out.withColumn(ScoredTickets.ROUTING + c, lit(null).cast(c.equals("_confidence") ? "double"
                        : c.equals("_retired_avoided") ? "boolean" : "string"));
            }
        } else {
            out = out.withColumnRenamed(ScoredTickets.ROUTING + "_team", ScoredTickets.ROUTED_TEAM);
        }
        if (o.sentiment() == null) {
            out = out.withColumn(ScoredTickets.SENTIMENT, lit(null).cast("string"))
                    .withColumn(ScoredTickets.SENTIMENT + "_confidence", lit(null).cast("double"));
        } else {
            out = out.drop(ScoredTickets.SENTIMENT + "_top_k", ScoredTickets.SENTIMENT + "_routed");
        }
        List<Column> columns = new ArrayList<>();
        for (String c : ScoredTickets.columnComments().keySet()) {
            switch (c) {
                case ScoredTickets.RUN_ID -> columns.add(lit(record.runId).as(c));
                case ScoredTickets.SCORED_AT -> columns.add(lit(Timestamp.from(Instant.now())).as(c));
                case ScoredTickets.DT -> columns.add(to_date(col(ScoredTickets.CREATED_AT)).as(c));
                default -> columns.add(col(c));
            }
        }
        return out.select(columns.toArray(new Column[0]));
    }

    /** Rewrites the days of {@code fresh}: its rows, plus the rows of those days that are not in the window. */
    private void rewrite(Dataset<Row> fresh, Dataset<Row> windowIds, String table, String staging) {
        List<Object> days = new ArrayList<>();
        for (Row r : fresh.select(ScoredTickets.DT).distinct().collectAsList()) {
            days.add(r.getDate(0));
        }
        if (days.isEmpty()) {
            return;
        }
        Dataset<Row> all = fresh;
        if (StorageFiles.exists(table, spark.sparkContext().hadoopConfiguration())) {
            Dataset<Row> kept = spark.read().parquet(table).where(col(ScoredTickets.DT).isin(days.toArray()))
                    .join(windowIds, ScoredTickets.TICKET_ID, "left_anti");
            all = fresh.unionByName(kept, true);
        }
        all.write().mode(SaveMode.Overwrite).parquet(staging);
        Dataset<Row> merged = spark.read().parquet(staging).repartition(col(ScoredTickets.DT))
                .sortWithinPartitions(ScoredTickets.TICKET_ID);
        // Dynamic partition overwrite: the S3A committers refuse it, so this write uses the classic committer.
        Committers.withClassicCommitter(spark, () -> {
            merged.write().mode(SaveMode.Overwrite).partitionBy(ScoredTickets.DT).parquet(table);
            return null;
        });
    }

    private static java.time.LocalDate day(Instant t) {
        return t.atZone(java.time.ZoneOffset.UTC).toLocalDate();
    }
}
