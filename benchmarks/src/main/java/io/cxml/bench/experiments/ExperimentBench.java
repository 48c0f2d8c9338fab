package io.cxml.bench.experiments;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.cxml.contract.CuratedInteractions;
import io.cxml.experiments.AnalysisResult;
import io.cxml.experiments.Experiment;
import io.cxml.experiments.ExperimentAnalysis;
import io.cxml.experiments.ExperimentColumns;
import io.cxml.experiments.ExperimentUnit;
import io.cxml.experiments.Metric;
import io.cxml.experiments.OutcomeStatistics;
import io.cxml.experiments.SliceSums;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The analysis of one experiment look at scale: N exposed tickets x 3 arms x 5 metrics, plus N/2 pre-period tickets
 * for the CUPED covariate. {@code prepare WORK N} writes synthetic scored and curated tickets (hash-derived columns, no
 * randomness: the same N gives the same data); {@code analyze WORK MASTER UNIT} times {@link OutcomeStatistics}
 * (executors) and {@link ExperimentAnalysis} (driver) and prints one JSON line. scripts/bench-experiments.sh runs both
 * and adds the peak RSS.
 */
public final class ExperimentBench {
    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant END = Instant.parse("2026-03-01T00:00:00Z");

    private ExperimentBench() {}

    /**
     * @param args prepare WORK N | analyze WORK MASTER UNIT
     */
    public static void main(String[] args) {
        String mode = args[0];
        String work = args[1];
        SparkSession spark = SparkSession.builder().master(mode.equals("prepare") ? "local[2]" : args[2])
                .appName("cxml-bench-experiments").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "16").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            if (mode.equals("prepare")) {
                prepare(spark, work, Long.parseLong(args[2]));
            } else {
                analyze(spark, work, ExperimentUnit.parse(args[3]));
            }
        } finally {
            spark.stop();
        }
    }

    static Experiment experiment(ExperimentUnit unit) {
        return new Experiment("bench", "routing", unit, 1.0, List.of(new Experiment.Arm("control", "routing@v1", 1),
                new Experiment.Arm("b", "routing@v2", 1), new Experiment.Arm("c", "routing@v3", 1)), START, END,
                Metric.REOPEN, List.of(Metric.CSAT, Metric.ESCALATION, Metric.HANDLE_TIME, Metric.REASSIGNMENT), 0.05,
                Duration.ofDays(3));
    }

    private static void prepare(SparkSession spark, String work, long n) {
        long pre = n / 2;
        long startS = START.getEpochSecond();
        long span = Duration.between(START, END).getSeconds() - 4 * 86400;
        // Ticket i < pre: pre-period (the 28 days before the start); the others: exposed. ~n/4 requesters, 200 tenants.
        Dataset<Row> tickets = spark.range(0, n + pre, 1, 16)
                .withColumn("h", expr("abs(xxhash64(id))"))
                .withColumn(CuratedInteractions.TICKET_ID, concat(lit("t"), col("id").cast("string")))
                .withColumn(CuratedInteractions.REQUESTER_ID, concat(lit("r"), expr("pmod(h, " + Math.max(1, n / 4)
                        + ")").cast("string")))
                .withColumn(CuratedInteractions.ACCOUNT_ID, concat(lit("a"), expr("pmod(h, 200)").cast("string")))
                .withColumn(CuratedInteractions.CREATED_AT, expr("timestamp_seconds(if(id < " + pre + ", "
                        + (startS - 28 * 86400) + " + pmod(h, " + 27 * 86400 + "), " + startS + " + pmod(h, " + span
                        + ")))"))
                .withColumn(CuratedInteractions.SOLVED_AT, expr(CuratedInteractions.CREATED_AT
                        + " + make_interval(0, 0, 0, 0, cast(pmod(h, 48) as int), 0, 0)"))
                .withColumn(CuratedInteractions.REOPENED, expr("pmod(h, 97) < 8"))
                .withColumn(CuratedInteractions.ESCALATED, expr("pmod(h, 89) < 6"))
                .withColumn(CuratedInteractions.CSAT, expr("if(pmod(h, 7) < 3, cast(1 + pmod(h, 5) as int), null)"))
                .withColumn(CuratedInteractions.HANDLE_MINUTES, expr("cast(pmod(h, 600) as double)"))
                .withColumn(CuratedInteractions.ASSIGNED_GROUP, concat(lit("team"), expr("pmod(h, 13)").cast("string")))
                .withColumn("language", expr("element_at(array('en','de','fr','es','it','nl'), "
                        + "cast(pmod(h, 6) + 1 as int))"))
                .withColumn("routed_team", concat(lit("team"), expr("pmod(h, 11)").cast("string")));
        tickets.drop("language", "routed_team", "h", "id").write().mode(SaveMode.Overwrite).parquet(work + "/curated");
        Dataset<Row> exposed = tickets.where(col("id").geq(pre));
        exposed.select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.CREATED_AT), col("language"),
                        col("routed_team"), lit("bench").as(ExperimentColumns.EXPERIMENT),
                        when(expr("pmod(xxhash64(requester_id, 'arm'), 3) = 0"), lit("control"))
                                .when(expr("pmod(xxhash64(requester_id, 'arm'), 3) = 1"), lit("b")).otherwise(lit("c"))
                                .as(ExperimentColumns.ARM))
                .write().mode(SaveMode.Overwrite).parquet(work + "/scored");
        System.out.printf(Locale.ROOT, "{\"prepared_exposed\":%d,\"prepared_pre_period\":%d}%n", n, pre);
    }

    private static void analyze(SparkSession spark, String work, ExperimentUnit unit) {
        Experiment e = experiment(unit);
        Instant asOf = END.plus(Duration.ofDays(7));
        long t0 = System.nanoTime();
        List<SliceSums> sums = OutcomeStatistics.compute(spark.read().parquet(work + "/scored"),
                spark.read().parquet(work + "/curated"), e, asOf, 28);
        long t1 = System.nanoTime();
        AnalysisResult r = new ExperimentAnalysis(0.05, 200, true).analyze(e, asOf, sums);
        long t2 = System.nanoTime();
        double reduction = r.rows().stream().filter(x -> x.slice().equals(SliceSums.ALL))
                .mapToDouble(x -> x.comparison().varianceReduction()).max().orElse(0);
        System.out.printf(Locale.ROOT, "{\"unit\":\"%s\",\"tickets\":%d,\"arms\":3,\"metrics\":5,\"slices\":%d,"
                + "\"result_rows\":%d,\"executors_s\":%.1f,\"driver_ms\":%.1f,\"wall_s\":%.1f,\"decision\":\"%s\","
                + "\"max_cuped_variance_reduction\":%.4f,\"cores\":%d}%n", unit, r.tickets(),
                sums.stream().map(SliceSums::slice).distinct().count(), r.rows().size(), (t1 - t0) / 1e9,
                (t2 - t1) / 1e6, (t2 - t0) / 1e9, r.decision(), reduction,
                spark.sparkContext().defaultParallelism());
    }
}
