package io.cxml.runtime.stages;

import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.routing.EmbeddingProjection;
import io.cxml.runtime.routing.Routed;
import io.cxml.runtime.routing.RoutingColumns;
import io.cxml.runtime.routing.RoutingExample;
import io.cxml.runtime.routing.RoutingIndex;
import io.cxml.runtime.routing.RoutingScorer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes tickets to a team with a registered routing version, on the executors. Reads the text column and the
 * routing inputs by their {@link RoutingColumns} names ({@code tenant}, {@code language}, {@code channel},
 * {@code priority}, {@code intent_probabilities}, {@code team_load}, the numeric feature columns the version
 * records), for a version that reads embeddings its encoder's vector column ({@code EmbeddingStage.columnFor}: made
 * by an earlier stage, else looked up in the session's stored vectors and the rest embedded here), and optionally
 * {@code activeTeamsCol}: the tenant's teams that exist now (array of string; null when unknown). Adds {@code <prefix>_team}, {@code <prefix>_confidence}, {@code <prefix>_top3} (JSON) and
 * {@code <prefix>_source} (which model decided: tenant, fallback_small_tenant, fallback_unknown_tenant,
 * fallback_teams_changed) and {@code <prefix>_retired_avoided} (the model's first choice no longer exists and was
 * skipped). An unknown tenant or a retired team never fails the job; a null text gives null outputs (a ticket the
 * pipeline does not score).
 */
public final class RoutingStage extends TextColumnStage<RoutingStage> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RoutingStage.class);
    private static final int EMBEDDING_BATCH = 256;

    private final Param<String> modelUri;
    private final Param<String> modelLabel;
    private final Param<String> activeTeamsCol;
    private final StringArrayParam intentLabels;

    /** A stage with a random uid. */
    public RoutingStage() {
        this("cxmlRouting_" + java.util.UUID.randomUUID().toString().substring(24));
    }

    /**
     * @param uid the stage's uid (used when loading a saved stage)
     */
    public RoutingStage(String uid) {
        super(uid, "routed");
        modelUri = new Param<>(this, "modelUri", "model directory of a routing version (local or s3a://)");
        modelLabel = new Param<>(this, "modelLabel", "readable version, e.g. routing@v3");
        activeTeamsCol = new Param<>(this, "activeTeamsCol", "column of the tenant's current teams, '' for none");
        intentLabels = new StringArrayParam(this, "intentLabels", "labels of the intent model that produced "
                + RoutingColumns.INTENT + ", in its order; empty: the routing version's own intent model");
        setDefault(modelLabel, "");
        setDefault(activeTeamsCol, "");
        setDefault(intentLabels, new String[0]);
    }

    /** @return a reader for saved stages */
    public static MLReader<RoutingStage> read() {
        return new DefaultParamsReader<>();
    }

    /**
     * @param path where a stage was saved
     * @return the stage
     */
    public static RoutingStage load(String path) {
        return read().load(path);
    }

    /** @return the model directory param */
    public Param<String> modelUri() {
        return modelUri;
    }

    /** @return the model label param */
    public Param<String> modelLabel() {
        return modelLabel;
    }

    /** @return the current-teams column param */
    public Param<String> activeTeamsCol() {
        return activeTeamsCol;
    }

    /** @return the intent-labels param */
    public StringArrayParam intentLabels() {
        return intentLabels;
    }

    /**
     * @param value labels of the intent model whose probabilities the rows carry, in its order: the routing model
     *     reads them by name, so an intent version other than the one it was trained with feeds the right classes
     * @return this
     */
    public RoutingStage setIntentLabels(String[] value) {
        set(intentLabels, value);
        return this;
    }

    /**
     * @param value the routing version's model directory
     * @return this
     */
    public RoutingStage setModelUri(String value) {
        set(modelUri, value);
        return this;
    }

    /**
     * @param value the readable version
     * @return this
     */
    public RoutingStage setModelLabel(String value) {
        set(modelLabel, value);
        return this;
    }

    /**
     * @param value the column holding each ticket's tenant's current teams, or "" for none
     * @return this
     */
    public RoutingStage setActiveTeamsCol(String value) {
        set(activeTeamsCol, value);
        return this;
    }

    /** @return the names of the columns this stage adds, in order */
    public List<String> outputColumns() {
        String p = $(outputPrefix());
        return List.of(p + "_team", p + "_confidence", p + "_top3", p + "_source", p + "_retired_avoided");
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(modelUri)) {
            throw new IllegalArgumentException("Cannot route with " + uid() + ": modelUri is not set. Set it to a "
                    + "routing version's model directory, e.g. data/models/routing/v3/model");
        }
        checkColumns(schema, "route", outputColumns());
        List<String> out = outputColumns();
        return schema
                .add(field(out.get(0), DataTypes.StringType, "Team the ticket is routed to."))
                .add(field(out.get(1), DataTypes.DoubleType, "Probability of that team among the tenant's teams."))
                .add(field(out.get(2), DataTypes.StringType, "Best three teams as JSON [{\"team\":..,\"p\":..}]."))
                .add(field(out.get(3), DataTypes.StringType, "Which model decided: tenant, fallback_small_tenant, "
                        + "fallback_unknown_tenant or fallback_teams_changed."))
                .add(field(out.get(4), DataTypes.BooleanType, "True when the model's first choice no longer exists "
                        + "and the next team was used."));
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, String comment) {
        return new StructField(name, type, true, Metadata.empty()).withComment(comment);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = transformSchema(dataset.schema());
        Configuration hadoop = dataset.sparkSession().sparkContext().hadoopConfiguration();
        String label = $(modelLabel).isEmpty() ? $(modelUri) : $(modelLabel);
        ModelSource source = RoutingScorer.source($(modelUri), label, hadoop);
        RoutingIndex index = RoutingIndex.read($(modelUri), hadoop);
        EmbeddingProjection projection = index.features.embedding();
        boolean embedHere = projection != null && !java.util.Arrays.asList(dataset.columns())
                .contains(projection.column());
        // A version that reads embeddings takes the column an earlier stage made (the heads' EmbeddingStage), else
        // the session's stored vectors, embedding only the rest.
        Dataset<Row> rows = embedHere ? EmbeddingStage.withVectors(dataset.toDF(), $(inputCol()),
                projection.encoder(), EMBEDDING_BATCH, DevicePreference.AUTO) : dataset.toDF();
        RoutingColumns columns = RoutingColumns.of(rows.schema(), index.features, $(inputCol()));
        List<String> given = List.of($(intentLabels));
        List<String> expected = index.features.intentLabels();
        RoutingColumns byLabel = columns.withIntentLabels(given, expected);
        if (byLabel != columns) {
            long missing = expected.stream().filter(l -> !given.contains(l)).count();
            LOG.info("{} reads intent probabilities by label: {} of its {} intent classes come from the scoring "
                    + "intent model ({} classes), {} read as 0", label, expected.size() - missing, expected.size(),
                    given.size(), missing);
            columns = byLabel;
        }
        int active = $(activeTeamsCol).isEmpty() ? -1 : rows.schema().fieldIndex($(activeTeamsCol));
        int text = rows.schema().fieldIndex($(inputCol()));
        StructType routed = rows.schema();
        for (StructField f : schema.fields()) {
            if (!java.util.Arrays.asList(routed.fieldNames()).contains(f.name())) {
                routed = routed.add(f);
            }
        }
        Dataset<Row> out = AppendColumns.apply(rows, routed, 256, new Route(source, columns, active, text));
        return embedHere ? out.drop(projection.column(), projection.column() + EmbeddingStage.TRUNCATED_SUFFIX)
                : out;
    }

    /** The executor side: the JVM's scorer of the version, one routing decision per row. */
    private record Route(ModelSource source, RoutingColumns columns, int active, int text)
            implements AppendColumns.Scorer {
        @Override
        public AppendColumns.Batch open() {
            RoutingScorer scorer = RoutingScorer.get(source);
            TopKJson json = new TopKJson("team");
            return AppendColumns.Batch.eachRow(r -> {
                if (r.isNullAt(text)) {
                    return new Object[5];
                }
                RoutingExample e = columns.example(r);
                Set<String> teams = active < 0 || r.isNullAt(active) ? null : new HashSet<>(r.<String>getList(active));
                Routed routed = scorer.route(e, teams == null || teams.isEmpty() ? null : teams);
                return new Object[] {routed.team(), routed.team() == null ? null : routed.confidence(),
                    json.of(routed.top()), routed.source(), routed.retiredAvoided()};
            });
        }
    }
}
