package io.cxml.inference.monitoring;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import io.cxml.inference.scoring.ScoredTickets;
import io.cxml.storage.StorageFiles;
import io.cxml.training.data.ExportLabels;
import io.cxml.storage.StorageLayout;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Realised quality once outcomes arrive: the scored tickets of a window joined (on the executors) with the same
 * tickets' later state in {@code curated/interactions}: the team that solved them ({@code assigned_group} once
 * {@code solved_at} is set), CSAT, reopen, and the intent label where the export carries one (the agent-set field
 * of {@link ExportLabels}, through its taxonomy; never the generator's hidden truth). Per intent
 * model version and slice ({@code overall}, {@code week=<ISO week>}, {@code language=<code>}, {@code tenant=<id>}):
 * intent agreement, realised routing accuracy (when the scores carry the routing model's {@value #ROUTED_TEAM}),
 * mean CSAT and reopen rate ({@code week=} is the Monday the week starts). Only the aggregated rows reach the driver.
 */
public final class RealisedQuality {
    /** Column of the routing model's team in {@code scored/tickets} (issue 9), used when present. */
    public static final String ROUTED_TEAM = "routed_team";
    /** Columns of the result, in order. */
    public static final List<String> COLUMNS = List.of("model", "slice", "tickets", "solved", "intent_labelled",
            "intent_agreement", "routing_judged", "routing_accuracy", "csat_rated", "csat_mean", "reopen_rate");

    private RealisedQuality() {}

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param from first creation time included
     * @param to first creation time excluded
     * @param labels where the intent labels are in the export
     * @return one row per (model, slice) with {@link #COLUMNS}
     */
    public static Dataset<Row> measure(SparkSession spark, StorageLayout layout, Instant from, Instant to,
            ExportLabels labels) {
        String scoredPath = layout.resolve("scored/" + ScoredTickets.DATASET);
        if (!StorageFiles.exists(scoredPath, spark.sparkContext().hadoopConfiguration())) {
            throw new IllegalArgumentException("Cannot measure realised quality: no scored tickets at " + scoredPath
                    + ". Run cxml score first");
        }
        Dataset<Row> scoredAll = ScoredWindow.window(spark.read().parquet(scoredPath), ScoredTickets.DT, ScoredTickets.CREATED_AT,
                from, to);
        boolean routed = Arrays.asList(scoredAll.columns()).contains(ROUTED_TEAM);
        Dataset<Row> scored = scoredAll.select(col(ScoredTickets.TICKET_ID), col(ScoredTickets.INTENT_MODEL).as("model"),
                col(ScoredTickets.INTENT).as("_intent"), col(ScoredTickets.LANGUAGE).as("_language"),
                col(ScoredTickets.ACCOUNT_ID).as("_tenant"), col(ScoredTickets.CREATED_AT).as("_created"),
                (routed ? col(ROUTED_TEAM) : lit(null).cast("string")).as("_routed"));
        Dataset<Row> outcomes = ScoredWindow.window(spark.read().schema(CuratedInteractions.SCHEMA)
                .parquet(layout.curatedInteractions()), CuratedInteractions.DT, CuratedInteractions.CREATED_AT, from, to)
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.SOLVED_AT).as("_solved"),
                        col(CuratedInteractions.ASSIGNED_GROUP).as("_team"), col(CuratedInteractions.CSAT).as("_csat"),
                        col(CuratedInteractions.REOPENED).as("_reopened"),
                        labels.label().as("_label"));
        Dataset<Row> joined = scored.join(outcomes, new String[] {ScoredTickets.TICKET_ID}, "inner")
                .withColumn("_week", date_format(org.apache.spark.sql.functions.date_trunc("week", col("_created")),
                        "yyyy-MM-dd"));
        Column solved = col("_solved").isNotNull();
        Column[] metrics = {
            count(lit(1)).as("tickets"),
            sum(when(solved, 1).otherwise(0)).as("solved"),
            sum(when(col("_label").isNotNull(), 1).otherwise(0)).as("intent_labelled"),
            avg(when(col("_label").isNotNull(), when(col("_intent").equalTo(col("_label")), 1.0).otherwise(0.0)))
                    .as("intent_agreement"),
            sum(when(solved.and(col("_routed").isNotNull()), 1).otherwise(0)).as("routing_judged"),
            avg(when(solved.and(col("_routed").isNotNull()), when(col("_routed").equalTo(col("_team")), 1.0)
                    .otherwise(0.0))).as("routing_accuracy"),
            sum(when(col("_csat").isNotNull(), 1).otherwise(0)).as("csat_rated"),
            avg(col("_csat").cast("double")).as("csat_mean"),
            avg(when(col("_reopened"), 1.0).otherwise(0.0)).as("reopen_rate")};
        Column[] rest = Arrays.copyOfRange(metrics, 1, metrics.length);
        Dataset<Row> out = null;
        for (String[] slice : new String[][] {{"overall", null}, {"week", "_week"}, {"language", "_language"},
            {"tenant", "_tenant"}}) {
            Column name = slice[1] == null ? lit("overall") : org.apache.spark.sql.functions.concat(lit(slice[0] + "="),
                    org.apache.spark.sql.functions.coalesce(col(slice[1]), lit("(missing)")));
            Dataset<Row> part = joined.withColumn("slice", name).groupBy(col("model"), col("slice"))
                    .agg(metrics[0], rest);
            out = out == null ? part : out.unionByName(part);
        }
        return out.select(COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                .orderBy(col("model"), col("slice"));
    }
}
