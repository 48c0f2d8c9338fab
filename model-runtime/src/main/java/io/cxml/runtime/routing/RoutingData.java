package io.cxml.runtime.routing;

import static org.apache.spark.sql.functions.col;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.features.TrainingSetBuilder;
import io.cxml.features.view.AccountContextView;
import io.cxml.features.view.CustomerHistoryView;
import io.cxml.features.view.TicketTextView;
import io.cxml.language.LanguageColumns;
import io.cxml.language.LanguageOptions;
import io.cxml.storage.StorageLayout;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Routing rows ({@link RoutingColumns}) from the feature store or from a user's file.
 *
 * <p>From the feature store: solved tickets of {@code curated/interactions} (label = the team that solved them; open
 * tickets are excluded), with, as of each ticket's creation ({@link TrainingSetBuilder#join}, point in time): the
 * detected language ({@code ticket_text}), the requester's history ({@code customer_history}) and the account's
 * load ({@code account_context}: open tickets in total and per team). The same join feeds scoring, so training and
 * serving read the same features.
 */
public final class RoutingData {
    /** The ticket id column of feature-store rows (it keys evaluation sets and scoring joins). */
    public static final String TICKET_ID = CuratedInteractions.TICKET_ID;
    /** Views joined, in order. */
    public static final List<String> VIEWS = List.of(TicketTextView.NAME, CustomerHistoryView.NAME,
            AccountContextView.NAME);
    /** The numeric features routing reads, as joined columns. */
    public static final List<String> NUMERIC = List.of(
            joined(CustomerHistoryView.NAME, CustomerHistoryView.PRIOR_TICKETS_30D),
            joined(CustomerHistoryView.NAME, CustomerHistoryView.PRIOR_TICKETS_TOTAL),
            joined(CustomerHistoryView.NAME, CustomerHistoryView.DAYS_SINCE_LAST_TICKET),
            joined(CustomerHistoryView.NAME, CustomerHistoryView.CSAT_MEAN_90D),
            joined(CustomerHistoryView.NAME, CustomerHistoryView.ESCALATION_RATE_90D),
            joined(CustomerHistoryView.NAME, CustomerHistoryView.REOPEN_RATE_90D),
            joined(AccountContextView.NAME, AccountContextView.OPEN_TICKETS),
            joined(AccountContextView.NAME, AccountContextView.TEAMS_KNOWN),
            joined(AccountContextView.NAME, AccountContextView.TICKETS_7D),
            joined(AccountContextView.NAME, AccountContextView.BUSINESS_HOURS));
    private static final String VIEW_LANGUAGE = joined(TicketTextView.NAME, TicketTextView.LANGUAGE);
    private static final String VIEW_TEAM_LOAD = joined(AccountContextView.NAME, AccountContextView.OPEN_TICKETS_BY_TEAM);

    private RoutingData() {}

    private static String joined(String view, String feature) {
        return view + TrainingSetBuilder.SEPARATOR + feature;
    }

    /**
     * Tickets created in {@code [from, to)} with their point-in-time features.
     *
     * @param spark the session
     * @param layout storage layout (curated data and the offline store)
     * @param from first creation time, or null
     * @param to first creation time excluded, or null
     * @param labelled true for training (solved tickets only, with their team), false for scoring (every ticket)
     * @param versions filled with the view versions joined
     * @return routing rows plus {@code ticket_id}
     */
    public static Dataset<Row> fromFeatureStore(SparkSession spark, StorageLayout layout, Instant from, Instant to,
            boolean labelled, Map<String, String> versions) {
        Dataset<Row> tickets = spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions());
        if (from != null) {
            tickets = tickets.where(col(CuratedInteractions.CREATED_AT).geq(functions.lit(Timestamp.from(from))));
        }
        if (to != null) {
            tickets = tickets.where(col(CuratedInteractions.CREATED_AT).lt(functions.lit(Timestamp.from(to))));
        }
        if (labelled) {
            tickets = tickets.where(col(CuratedInteractions.SOLVED_AT).isNotNull()
                    .and(col(CuratedInteractions.ASSIGNED_GROUP).isNotNull()));
        }
        Dataset<Row> labels = tickets.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.ACCOUNT_ID),
                col(CuratedInteractions.REQUESTER_ID), col(CuratedInteractions.CREATED_AT),
                col(CuratedInteractions.CHANNEL), col(CuratedInteractions.PRIORITY), col(CuratedInteractions.TEXT),
                col(CuratedInteractions.ASSIGNED_GROUP));
        TrainingSetBuilder.Manifest manifest = new TrainingSetBuilder.Manifest();
        Dataset<Row> joined;
        try {
            joined = new TrainingSetBuilder(spark, layout).join(labels, CuratedInteractions.CREATED_AT,
                    VIEWS.stream().map(v -> new TrainingSetBuilder.ViewRef(v, null)).toList(), manifest);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Cannot prepare routing data: the feature views " + VIEWS
                    + " are needed (" + e.getMessage() + "). Build them with `cxml features build`", e);
        }
        manifest.views.forEach(v -> versions.put(String.valueOf(v.get("name")), "v" + v.get("version") + " ("
                + v.get("fingerprint") + ")"));
        List<Column> out = new ArrayList<>(List.of(
                col(CuratedInteractions.TICKET_ID),
                col(CuratedInteractions.TEXT).as(TrainingColumns.TEXT),
                (labelled ? col(CuratedInteractions.ASSIGNED_GROUP) : functions.lit(null).cast(DataTypes.StringType))
                        .as(TrainingColumns.LABEL),
                col(VIEW_LANGUAGE).as(TrainingColumns.LANGUAGE),
                col(CuratedInteractions.ACCOUNT_ID).as(TrainingColumns.TENANT),
                col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME),
                col(CuratedInteractions.CHANNEL).as(RoutingColumns.CHANNEL),
                col(CuratedInteractions.PRIORITY).as(RoutingColumns.PRIORITY),
                col(VIEW_TEAM_LOAD).as(RoutingColumns.TEAM_LOAD)));
        NUMERIC.forEach(n -> out.add(col(n).cast(DataTypes.DoubleType).as(n)));
        return joined.select(out.toArray(new Column[0]));
    }

    /**
     * A user's labelled file: CSV (with a header) or Parquet with {@code text,team} and optionally
     * {@code tenant,language,channel,priority,event_time}. A missing language is detected.
     *
     * @param spark the session
     * @param path the file
     * @param languages languages the detector chooses from
     * @return routing rows
     */
    public static Dataset<Row> fromFile(SparkSession spark, String path, LanguageOptions languages) {
        boolean csv = path.toLowerCase(Locale.ROOT).endsWith(".csv");
        Dataset<Row> raw = csv ? spark.read().option("header", "true").option("multiLine", "true")
                .option("escape", "\"").csv(path) : spark.read().parquet(path);
        List<String> columns = Arrays.asList(raw.columns());
        for (String required : List.of(TrainingColumns.TEXT, "team")) {
            if (!columns.contains(required)) {
                throw new IllegalArgumentException("Cannot read routing file " + path + ": column '" + required
                        + "' is missing (found " + columns + "). Provide text,team[,tenant][,language][,channel]"
                        + "[,priority][,event_time]");
            }
        }
        Column language = columns.contains(TrainingColumns.LANGUAGE)
                ? col(TrainingColumns.LANGUAGE).cast(DataTypes.StringType)
                : LanguageColumns.detect(col(TrainingColumns.TEXT), languages).getField(LanguageColumns.LANGUAGE);
        return raw.select(col(TrainingColumns.TEXT).cast(DataTypes.StringType).as(TrainingColumns.TEXT),
                        functions.trim(col("team").cast(DataTypes.StringType)).as(TrainingColumns.LABEL),
                        language.as(TrainingColumns.LANGUAGE),
                        optional(columns, TrainingColumns.TENANT, DataTypes.StringType).as(TrainingColumns.TENANT),
                        optional(columns, TrainingColumns.EVENT_TIME, DataTypes.TimestampType)
                                .as(TrainingColumns.EVENT_TIME),
                        optional(columns, RoutingColumns.CHANNEL, DataTypes.StringType).as(RoutingColumns.CHANNEL),
                        optional(columns, RoutingColumns.PRIORITY, DataTypes.StringType).as(RoutingColumns.PRIORITY))
                .where(col(TrainingColumns.TEXT).isNotNull().and(col(TrainingColumns.LABEL).isNotNull())
                        .and(functions.length(col(TrainingColumns.LABEL)).gt(0)));
    }

    private static Column optional(List<String> columns, String name, DataType type) {
        return columns.contains(name) ? col(name).cast(type) : functions.lit(null).cast(type);
    }
}
