package io.cxml.inference.monitoring;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;

import io.cxml.contract.CuratedInteractions;
import io.cxml.inference.scoring.ScoredTickets;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import io.cxml.training.profile.ProfileColumns;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The scored tickets created in {@code [from, to)} by one intent model version, as profile rows: language, tenant,
 * intent, confidence and unknown from {@code scored/tickets}, channel, priority, team and text length from the same
 * tickets in {@code curated/interactions} (joined on the executors).
 */
public final class ScoredWindow {
    /** {@code routing_source} of a ticket routed by its tenant's own model. */
    private static final String ROUTED_BY_TENANT = io.cxml.runtime.routing.Routed.TENANT;

    private ScoredWindow() {}

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param from first creation time included
     * @param to first creation time excluded
     * @param intentModel the version whose scores are profiled ({@code intent@v3})
     * @return rows with {@link ProfileColumns}
     */
    public static Dataset<Row> rows(SparkSession spark, StorageLayout layout, Instant from, Instant to,
            String intentModel) {
        return rows(spark, layout, from, to, intentModel, false);
    }

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param from first creation time included
     * @param to first creation time excluded
     * @param model the version whose scores are profiled ({@code intent@v3} or {@code routing@v2})
     * @param routing true for a routing version: the routed team is the predicted class, its confidence the
     *     confidence, and a ticket the tenant's own model did not route (a fallback) counts as unknown, as in the
     *     routing reference profile
     * @return rows with {@link ProfileColumns}
     */
    public static Dataset<Row> rows(SparkSession spark, StorageLayout layout, Instant from, Instant to, String model,
            boolean routing) {
        String intentModel = model;
        String scoredPath = layout.resolve("scored/" + ScoredTickets.DATASET);
        if (!StorageFiles.exists(scoredPath, spark.sparkContext().hadoopConfiguration())) {
            throw new IllegalArgumentException("Cannot check drift: no scored tickets at " + scoredPath
                    + ". Run cxml score for the window first");
        }
        Dataset<Row> scored = window(spark.read().parquet(scoredPath), ScoredTickets.DT, ScoredTickets.CREATED_AT,
                from, to).where(col(routing ? ScoredTickets.ROUTING_MODEL : ScoredTickets.INTENT_MODEL)
                        .equalTo(intentModel))
                .select(col(ScoredTickets.TICKET_ID), col(ScoredTickets.LANGUAGE).as(ProfileColumns.LANGUAGE),
                        col(ScoredTickets.ACCOUNT_ID).as(ProfileColumns.TENANT),
                        col(routing ? ScoredTickets.ROUTED_TEAM : ScoredTickets.INTENT).as(ProfileColumns.PREDICTED),
                        col(routing ? ScoredTickets.ROUTING + "_confidence" : ScoredTickets.INTENT + "_confidence")
                                .as(ProfileColumns.CONFIDENCE),
                        (routing ? col(ScoredTickets.ROUTING + "_source").notEqual(lit(ROUTED_BY_TENANT))
                                : col(ScoredTickets.INTENT + "_routed").equalTo(lit(ClassifierSpec.UNKNOWN)))
                                .as(ProfileColumns.UNKNOWN));
        Dataset<Row> curated = window(spark.read().schema(CuratedInteractions.SCHEMA)
                .parquet(layout.curatedInteractions()), CuratedInteractions.DT, CuratedInteractions.CREATED_AT, from, to)
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.CHANNEL).as(ProfileColumns.CHANNEL),
                        col(CuratedInteractions.PRIORITY).as(ProfileColumns.PRIORITY),
                        col(CuratedInteractions.ASSIGNED_GROUP).as(ProfileColumns.TEAM),
                        length(col(CuratedInteractions.TEXT)).as(ProfileColumns.TEXT_CHARS));
        return scored.join(curated, new String[] {ScoredTickets.TICKET_ID}, "left").drop(ScoredTickets.TICKET_ID);
    }

    /** Rows of a table created in [from, to), reading only the dt partitions of the window. */
    static Dataset<Row> window(Dataset<Row> table, String dt, String time, Instant from, Instant to) {
        return table.where(col(dt).between(Date.valueOf(from.atZone(ZoneOffset.UTC).toLocalDate()),
                        Date.valueOf(to.atZone(ZoneOffset.UTC).toLocalDate())))
                .where(col(time).geq(lit(Timestamp.from(from))).and(col(time).lt(lit(Timestamp.from(to)))));
    }
}
