package io.cxml.features.view;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.hour;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_micros;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.join.PointInTimeJoin;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code account_context}: per account (tenant), as of each of its tickets' creation time {@code t}, the load on its
 * teams. One event per (account, creation time).
 *
 * <ul>
 *   <li>{@code open_tickets}: tickets created before {@code t} and not solved before {@code t}.
 *   <li>{@code open_tickets_by_team}: the same, per team. A ticket's team is known only from its latest version's
 *       {@code updated_at}; until then (and for tickets never assigned) it counts under {@value #UNASSIGNED}. Tickets
 *       solved before their last update never show their final team while open: that is what could be known.
 *   <li>{@code teams_known} (team count proxy): distinct teams seen on the account's tickets known before {@code t}.
 *   <li>{@code tickets_7d} (demand) and {@code solved_30d} (throughput, a team-capacity proxy).
 *   <li>{@code business_hours}: {@code t} falls Monday-Friday, 09:00-17:59 UTC (tenants' time zones are not in the
 *       data yet).
 * </ul>
 */
public final class AccountContextView implements FeatureView {
    /** View name. */
    public static final String NAME = "account_context";
    public static final String OPEN_TICKETS = "open_tickets";
    public static final String OPEN_TICKETS_BY_TEAM = "open_tickets_by_team";
    public static final String TEAMS_KNOWN = "teams_known";
    public static final String TICKETS_7D = "tickets_7d";
    public static final String SOLVED_30D = "solved_30d";
    public static final String BUSINESS_HOURS = "business_hours";
    /** Bucket of open tickets whose team is not known yet. */
    public static final String UNASSIGNED = "_unassigned";
    static final String LOGIC_VERSION = "1";
    /** First and last business hour (UTC), inclusive. */
    static final int FIRST_HOUR = 9;
    static final int LAST_HOUR = 17;

    private static final String TS = "_ts";
    private static final String QUERY = "_query";
    private static final String CREATED = "_created";
    private static final String SOLVED = "_solved";
    private static final String NEW_TEAM = "_new_team";
    private static final String BUCKET = "_bucket";
    private static final String DELTA = "_delta";
    private static final String KEY = "_key";
    private static final String COUNT = "_count";
    private static final String SEP = "\u0001";

    private static final DataType BY_TEAM_TYPE =
            DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType, true);

    private static final StructType FEATURES = new StructType()
            .add(OPEN_TICKETS, DataTypes.LongType, false)
            .add(OPEN_TICKETS_BY_TEAM, BY_TEAM_TYPE, false)
            .add(TEAMS_KNOWN, DataTypes.LongType, false)
            .add(TICKETS_7D, DataTypes.LongType, false)
            .add(SOLVED_30D, DataTypes.LongType, false)
            .add(BUSINESS_HOURS, DataTypes.BooleanType, false);

    private final FeatureViewDefinition definition;

    /**
     * @param options feature settings (TTL)
     */
    public AccountContextView(FeatureOptions options) {
        this.definition = FeatureViewDefinition.builder(NAME)
                .setEntityKey(CuratedInteractions.ACCOUNT_ID)
                .setEventTimeColumn(CuratedInteractions.CREATED_AT)
                .setFeatures(FEATURES)
                .setLogicVersion(LOGIC_VERSION + ";business-hours=" + FIRST_HOUR + "-" + LAST_HOUR + "UTC")
                .setTtl(options.accountTtl())
                .optOwner("ml-platform")
                .optDescription("Account load as of each ticket's creation: open tickets in total and per team "
                        + "(team known from the ticket's last update, else _unassigned), distinct known teams, "
                        + "tickets created in 7 days, solved in 30 days, business-hours flag (Mon-Fri 09-18 UTC).")
                .build();
    }

    @Override
    public FeatureViewDefinition definition() {
        return definition;
    }

    @Override
    public Dataset<Row> compute(Dataset<Row> curated) {
        String account = CuratedInteractions.ACCOUNT_ID;
        Column created = col(CuratedInteractions.CREATED_AT);
        Column updated = greatest(col(CuratedInteractions.UPDATED_AT), created);
        Column solved = when(col(CuratedInteractions.SOLVED_AT).isNotNull(),
                greatest(col(CuratedInteractions.SOLVED_AT), created));
        Column team = col(CuratedInteractions.ASSIGNED_GROUP);
        Dataset<Row> tickets = curated.select(col(account), created.as("c"), updated.as("u"), solved.as("s"),
                team.as("team"));

        Dataset<Row> queries = tickets.select(col(account), col("c").as(TS)).distinct();
        Dataset<Row> counts = counts(tickets);
        Dataset<Row> byTeam = openByTeam(tickets, queries);
        return counts.join(byTeam, CollectionConverters.asScala(List.of(account, TS)).toSeq(), "left")
                .select(col(account), col(TS).as(CuratedInteractions.CREATED_AT),
                        coalesce(col(OPEN_TICKETS), lit(0L)).as(OPEN_TICKETS),
                        coalesce(col(OPEN_TICKETS_BY_TEAM), map().cast(BY_TEAM_TYPE)).as(OPEN_TICKETS_BY_TEAM),
                        col(TEAMS_KNOWN), col(TICKETS_7D), col(SOLVED_30D),
                        dayofweek(col(TS)).between(2, 6).and(hour(col(TS)).between(FIRST_HOUR, LAST_HOUR))
                                .as(BUSINESS_HOURS));
    }

    /**
     * Creation-count, solve-count and first-known-team events in one stream per account, as running sums over
     * everything strictly before each instant. A creation or solve counts +1 at its time and -1 once it leaves its
     * window (at time + 7 or 30 days, so an event exactly 7 days back still counts, as a range frame of [-7 days, -1]
     * would). Why not such a bounded range frame: Spark re-aggregates a sliding frame's whole buffer at each row, so an
     * account with n tickets a window cost n x (tickets in the window), quadratic in the account's size (a 1M-ticket,
     * 40-account export ran for more than 8 minutes here); an unbounded-preceding frame adds each row once.
     */
    private static Dataset<Row> counts(Dataset<Row> tickets) {
        String account = CuratedInteractions.ACCOUNT_ID;
        long day = CustomerHistoryView.DAY_MICROS;
        Dataset<Row> creations = tickets.select(col(account), col("c").as(TS), lit(true).as(QUERY),
                lit(1L).as(CREATED), lit(0L).as(SOLVED), lit(0L).as(NEW_TEAM));
        Dataset<Row> creationsLeaving = tickets.select(col(account), later(col("c"), 7 * day).as(TS),
                lit(false).as(QUERY), lit(-1L).as(CREATED), lit(0L).as(SOLVED), lit(0L).as(NEW_TEAM));
        Dataset<Row> solved = tickets.filter(col("s").isNotNull());
        Dataset<Row> solves = solved.select(col(account), col("s").as(TS),
                lit(false).as(QUERY), lit(0L).as(CREATED), lit(1L).as(SOLVED), lit(0L).as(NEW_TEAM));
        Dataset<Row> solvesLeaving = solved.select(col(account), later(col("s"), 30 * day).as(TS),
                lit(false).as(QUERY), lit(0L).as(CREATED), lit(-1L).as(SOLVED), lit(0L).as(NEW_TEAM));
        Dataset<Row> firstTeams = tickets.filter(col("team").isNotNull()).groupBy(col(account), col("team"))
                .agg(min(col("u")).as(TS))
                .select(col(account), col(TS), lit(false).as(QUERY), lit(0L).as(CREATED), lit(0L).as(SOLVED),
                        lit(1L).as(NEW_TEAM));
        WindowSpec before = Window.partitionBy(col(account)).orderBy(unix_micros(col(TS)))
                .rangeBetween(Window.unboundedPreceding(), -1);
        return creations.unionByName(creationsLeaving).unionByName(solves).unionByName(solvesLeaving)
                .unionByName(firstTeams)
                .withColumn(TICKETS_7D, coalesce(sum(col(CREATED)).over(before), lit(0L)))
                .withColumn(SOLVED_30D, coalesce(sum(col(SOLVED)).over(before), lit(0L)))
                .withColumn(TEAMS_KNOWN, coalesce(sum(col(NEW_TEAM)).over(before), lit(0L)))
                .filter(col(QUERY))
                .select(col(account), col(TS), col(TICKETS_7D), col(SOLVED_30D), col(TEAMS_KNOWN))
                .dropDuplicates(account, TS);
    }

    private static Column later(Column time, long micros) {
        return timestamp_micros(unix_micros(time).plus(micros));
    }

    /**
     * Open tickets per team at each query instant: +1/-1 events per (account, team bucket), running totals, then an
     * as-of lookup of every bucket of the account, strictly before the query instant.
     */
    private static Dataset<Row> openByTeam(Dataset<Row> tickets, Dataset<Row> queries) {
        String account = CuratedInteractions.ACCOUNT_ID;
        Column moved = col("team").isNotNull().and(col("s").isNull().or(col("u").lt(col("s"))));
        Dataset<Row> opened = tickets.select(col(account), lit(UNASSIGNED).as(BUCKET), col("c").as(TS),
                lit(1L).as(DELTA));
        Dataset<Row> leaveUnassigned = tickets.filter(moved).select(col(account), lit(UNASSIGNED).as(BUCKET),
                col("u").as(TS), lit(-1L).as(DELTA));
        Dataset<Row> joinTeam = tickets.filter(moved).select(col(account), col("team").as(BUCKET), col("u").as(TS),
                lit(1L).as(DELTA));
        Dataset<Row> closed = tickets.filter(col("s").isNotNull()).select(col(account),
                when(moved, col("team")).otherwise(lit(UNASSIGNED)).as(BUCKET), col("s").as(TS), lit(-1L).as(DELTA));
        Dataset<Row> deltas = opened.unionByName(leaveUnassigned).unionByName(joinTeam).unionByName(closed)
                .groupBy(col(account), col(BUCKET), col(TS)).agg(sum(col(DELTA)).as(DELTA));
        // The running total after all events at ts is valid for queries strictly after ts: shift by 1 microsecond.
        Dataset<Row> states = deltas
                .withColumn(COUNT, sum(col(DELTA)).over(Window.partitionBy(col(account), col(BUCKET)).orderBy(col(TS))
                        .rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .select(concat(col(account), lit(SEP), col(BUCKET)).as(KEY),
                        timestamp_micros(unix_micros(col(TS)).plus(1L)).as(TS), col(COUNT));
        Dataset<Row> buckets = deltas.select(col(account), col(BUCKET)).distinct();
        Dataset<Row> lookups = queries.join(buckets, account)
                .withColumn(KEY, concat(col(account), lit(SEP), col(BUCKET)));
        PointInTimeJoin.Spec spec = new PointInTimeJoin.Spec(KEY, TS, List.of(COUNT), null, "_state", col(COUNT));
        // Thousands of lookups and states per (account, team) key, a few hundred keys: the dense case.
        return PointInTimeJoin.asOf(lookups, TS, states, spec, PointInTimeJoin.Strategy.TIME_ORDERED_MERGE)
                .filter(col("_state" + COUNT).gt(0))
                .groupBy(col(account), col(TS))
                .agg(sum(col("_state" + COUNT)).as(OPEN_TICKETS),
                        map_from_entries(array_sort(collect_list(struct(col(BUCKET), col("_state" + COUNT)))))
                                .as(OPEN_TICKETS_BY_TEAM));
    }
}
