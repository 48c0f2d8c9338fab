package io.cxml.features.view;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code customer_history}: per requester, as of each of their tickets' creation time {@code t}, what earlier
 * tickets say about them. One event per (requester, creation time).
 *
 * <p>What is knowable at {@code t}, and therefore used:
 *
 * <ul>
 *   <li>Counts and recency use other tickets' <em>creation</em> ({@code created_at < t}, strictly: tickets opened at
 *       the same instant are not "prior").
 *   <li>Outcomes (CSAT, escalation, reopen, assigned team) change until a ticket's last update, and the curated table
 *       holds only the latest version, whose values are certain only from its {@code updated_at}. They count only
 *       for tickets with {@code updated_at < t} (a ticket solved before {@code t} but rated or reopened after it
 *       counts only once that later update is in the past). {@code solved_at} is not enough: CSAT and reopens come
 *       after the solve.
 * </ul>
 *
 * <p>Rates and the CSAT mean cover outcomes known in the 90 days before {@code t}; counts cover 7, 30 and 90 days and
 * all time; the last team is the team of the most recently updated known ticket (ties: greatest ticket id).
 * Computed with range windows over one sorted stream of creation and outcome events per requester: linear, no
 * self-join.
 */
public final class CustomerHistoryView implements FeatureView {
    /** View name. */
    public static final String NAME = "customer_history";
    public static final String PRIOR_TICKETS_7D = "prior_tickets_7d";
    public static final String PRIOR_TICKETS_30D = "prior_tickets_30d";
    public static final String PRIOR_TICKETS_90D = "prior_tickets_90d";
    public static final String PRIOR_TICKETS_TOTAL = "prior_tickets_total";
    public static final String DAYS_SINCE_LAST_TICKET = "days_since_last_ticket";
    public static final String KNOWN_OUTCOMES_90D = "known_outcomes_90d";
    public static final String CSAT_MEAN_90D = "csat_mean_90d";
    public static final String ESCALATION_RATE_90D = "escalation_rate_90d";
    public static final String REOPEN_RATE_90D = "reopen_rate_90d";
    public static final String LAST_TEAM = "last_team";
    static final String LOGIC_VERSION = "1";

    static final long DAY_MICROS = 86_400_000_000L;
    private static final String TS = "_ts";
    private static final String KIND = "_kind";
    private static final String CREATED = "_created";
    private static final String KNOWN = "_known";
    private static final String CSAT_SUM = "_csat";
    private static final String CSAT_N = "_csat_n";
    private static final String ESCALATED = "_escalated";
    private static final String REOPENED = "_reopened";
    private static final String TEAM = "_team";
    private static final String TICKET = "_ticket";
    /** Creation (query) rows sort before outcome rows at the same instant: an outcome at t is not "before t". */
    private static final int KIND_CREATED = 0;
    private static final int KIND_OUTCOME = 1;

    private static final StructType FEATURES = new StructType()
            .add(PRIOR_TICKETS_7D, DataTypes.LongType, false)
            .add(PRIOR_TICKETS_30D, DataTypes.LongType, false)
            .add(PRIOR_TICKETS_90D, DataTypes.LongType, false)
            .add(PRIOR_TICKETS_TOTAL, DataTypes.LongType, false)
            .add(DAYS_SINCE_LAST_TICKET, DataTypes.DoubleType, true)
            .add(KNOWN_OUTCOMES_90D, DataTypes.LongType, false)
            .add(CSAT_MEAN_90D, DataTypes.DoubleType, true)
            .add(ESCALATION_RATE_90D, DataTypes.DoubleType, true)
            .add(REOPEN_RATE_90D, DataTypes.DoubleType, true)
            .add(LAST_TEAM, DataTypes.StringType, true);

    private final FeatureViewDefinition definition;

    /**
     * @param options feature settings (TTL)
     */
    public CustomerHistoryView(FeatureOptions options) {
        this.definition = FeatureViewDefinition.builder(NAME)
                .setEntityKey(CuratedInteractions.REQUESTER_ID)
                .setEventTimeColumn(CuratedInteractions.CREATED_AT)
                .setFeatures(FEATURES)
                .setLogicVersion(LOGIC_VERSION)
                .setTtl(options.historyTtl())
                .optOwner("ml-platform")
                .optDescription("Requester history as of each ticket's creation: prior tickets (created strictly "
                        + "before) in 7/30/90 days and all time, days since the last one; CSAT mean, escalation and "
                        + "reopen rates over outcomes known (updated_at strictly before) in the last 90 days; team of "
                        + "the most recently updated known ticket.")
                .build();
    }

    @Override
    public FeatureViewDefinition definition() {
        return definition;
    }

    @Override
    public Dataset<Row> compute(Dataset<Row> curated) {
        String requester = CuratedInteractions.REQUESTER_ID;
        Dataset<Row> tickets = curated.filter(col(requester).isNotNull());
        Dataset<Row> creations = tickets.select(col(requester), col(CuratedInteractions.CREATED_AT).as(TS),
                lit(KIND_CREATED).as(KIND), lit(1L).as(CREATED), lit(0L).as(KNOWN),
                lit(null).cast(DataTypes.LongType).as(CSAT_SUM), lit(0L).as(CSAT_N), lit(0L).as(ESCALATED),
                lit(0L).as(REOPENED), lit(null).cast(DataTypes.StringType).as(TEAM),
                col(CuratedInteractions.TICKET_ID).as(TICKET));
        Column csat = col(CuratedInteractions.CSAT);
        Dataset<Row> outcomes = tickets.select(col(requester),
                // A version cannot be older than its ticket: clamp bad clocks instead of leaking backwards.
                greatest(col(CuratedInteractions.UPDATED_AT), col(CuratedInteractions.CREATED_AT)).as(TS),
                lit(KIND_OUTCOME).as(KIND), lit(0L).as(CREATED), lit(1L).as(KNOWN),
                csat.cast(DataTypes.LongType).as(CSAT_SUM), when(csat.isNotNull(), 1L).otherwise(0L).as(CSAT_N),
                when(col(CuratedInteractions.ESCALATED), 1L).otherwise(0L).as(ESCALATED),
                when(col(CuratedInteractions.REOPENED), 1L).otherwise(0L).as(REOPENED),
                col(CuratedInteractions.ASSIGNED_GROUP).as(TEAM), col(CuratedInteractions.TICKET_ID).as(TICKET));

        Column micros = unix_micros(col(TS));
        WindowSpec byTime = Window.partitionBy(col(requester)).orderBy(micros);
        WindowSpec all = byTime.rangeBetween(Window.unboundedPreceding(), -1);
        WindowSpec lastRow = Window.partitionBy(col(requester)).orderBy(col(TS), col(KIND), col(TICKET))
                .rowsBetween(Window.unboundedPreceding(), Window.currentRow());

        Column known90 = sum(col(KNOWN)).over(before(byTime, 90));
        Column csatN90 = sum(col(CSAT_N)).over(before(byTime, 90));
        Dataset<Row> stream = creations.unionByName(outcomes)
                .withColumn(PRIOR_TICKETS_7D, coalesce(sum(col(CREATED)).over(before(byTime, 7)), lit(0L)))
                .withColumn(PRIOR_TICKETS_30D, coalesce(sum(col(CREATED)).over(before(byTime, 30)), lit(0L)))
                .withColumn(PRIOR_TICKETS_90D, coalesce(sum(col(CREATED)).over(before(byTime, 90)), lit(0L)))
                .withColumn(PRIOR_TICKETS_TOTAL, coalesce(sum(col(CREATED)).over(all), lit(0L)))
                .withColumn(DAYS_SINCE_LAST_TICKET, micros.minus(max(when(col(KIND).equalTo(KIND_CREATED), micros))
                        .over(all)).divide((double) DAY_MICROS))
                .withColumn(KNOWN_OUTCOMES_90D, coalesce(known90, lit(0L)))
                .withColumn(CSAT_MEAN_90D, when(csatN90.gt(0),
                        sum(col(CSAT_SUM)).over(before(byTime, 90)).divide(csatN90)))
                .withColumn(ESCALATION_RATE_90D, when(known90.gt(0),
                        sum(col(ESCALATED)).over(before(byTime, 90)).divide(known90)))
                .withColumn(REOPEN_RATE_90D, when(known90.gt(0),
                        sum(col(REOPENED)).over(before(byTime, 90)).divide(known90)))
                .withColumn(LAST_TEAM, last(col(TEAM), true).over(lastRow));

        Column[] out = new Column[2 + FEATURES.size()];
        out[0] = col(requester);
        out[1] = col(TS).as(CuratedInteractions.CREATED_AT);
        for (int i = 0; i < FEATURES.size(); i++) {
            out[2 + i] = col(FEATURES.fields()[i].name());
        }
        // Every row of one (requester, instant) holds the same values (all inputs are strictly earlier).
        return stream.filter(col(KIND).equalTo(KIND_CREATED)).select(out)
                .dropDuplicates(requester, CuratedInteractions.CREATED_AT);
    }

    /** Range frame over the {@code days} days strictly before the current row's instant. */
    private static WindowSpec before(WindowSpec byTime, int days) {
        return byTime.rangeBetween(-days * DAY_MICROS, -1);
    }
}
