package io.cxml.experiments;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Contract of {@code EXPERIMENT_RESULTS} and of the looks stored under {@code experiments/<name>/looks/}: one row per
 * look, challenger, metric and slice, keyed by {@link #KEYS}, with the comments analysts see.
 */
public final class ExperimentResults {
    private ExperimentResults() {}

    /** Table comment. */
    public static final String TABLE_COMMENT = "One row per look at an online experiment, challenger, metric and "
            + "slice: estimate, fixed-horizon and always-valid intervals, adjusted p-value, sample-ratio check and the "
            + "look's decision (cxml experiment analyze; docs/experiments.md).";
    /** Merge key. */
    public static final String[] KEYS = {"experiment", "as_of", "arm", "metric", "slice"};
    /** Column of the look's time. */
    public static final String AS_OF = "as_of";

    private static final Map<String, Object[]> COLUMNS = new LinkedHashMap<>();

    static {
        column("experiment", DataTypes.StringType, "Experiment name (cxml.experiments).");
        column("as_of", DataTypes.TimestampType, "Time of the look: tickets created before it, outcomes mature by it.");
        column("arm", DataTypes.StringType, "Challenger arm compared with the control.");
        column("control_arm", DataTypes.StringType, "The control arm (the experiment's first).");
        column("metric", DataTypes.StringType, "csat, reopen, escalation, handle_time or reassignment.");
        column("role", DataTypes.StringType, "primary or guardrail.");
        column("slice", DataTypes.StringType, "all, language=xx or tenant=id.");
        column("control_units", DataTypes.LongType, "Control units with a mature outcome of the metric.");
        column("treatment_units", DataTypes.LongType, "Challenger units with a mature outcome of the metric.");
        column("control_value", DataTypes.DoubleType, "Metric in the control (ratio of sums; CSAT over rated tickets).");
        column("treatment_value", DataTypes.DoubleType, "Metric in the challenger.");
        column("difference", DataTypes.DoubleType, "Challenger minus control, CUPED-adjusted.");
        column("relative_lift", DataTypes.DoubleType, "Difference / control value.");
        column("standard_error", DataTypes.DoubleType, "Of the difference (delta method, cluster-robust per unit).");
        column("ci_low", DataTypes.DoubleType, "Fixed-horizon Welch interval, lower end (valid for one planned look).");
        column("ci_high", DataTypes.DoubleType, "Fixed-horizon Welch interval, upper end.");
        column("p_value", DataTypes.DoubleType, "Fixed-horizon two-sided p-value (valid for one planned look).");
        column("sequential_low", DataTypes.DoubleType, "Always-valid interval (normal mixture), lower end.");
        column("sequential_high", DataTypes.DoubleType, "Always-valid interval, upper end.");
        column("sequential_p_value", DataTypes.DoubleType, "Always-valid p-value (mixture SPRT).");
        column("adjusted_p_value", DataTypes.DoubleType, "Always-valid p-value adjusted: Holm in slice all, "
                + "Benjamini-Hochberg within the other slices.");
        column("variance_reduction", DataTypes.DoubleType, "1 - CUPED variance / plain variance.");
        column("srm_p_value", DataTypes.DoubleType, "Sample-ratio chi-square p-value of the slice.");
        column("decision", DataTypes.StringType, "The look's decision: keep_running, ship, stop:harm or stop:srm.");
        column("reason", DataTypes.StringType, "Why, in one sentence.");
        column("run_id", DataTypes.StringType, "cxml run of the look (runs/experiment-analyze/<run_id>.json).");
    }

    private static void column(String name, DataType type, String comment) {
        COLUMNS.put(name, new Object[] {type, comment});
    }

    /** @return the schema */
    public static StructType schema() {
        StructType s = new StructType();
        for (Map.Entry<String, Object[]> e : COLUMNS.entrySet()) {
            s = s.add(e.getKey(), (DataType) e.getValue()[0], true);
        }
        return s;
    }

    /** @return the comment of every column */
    public static Map<String, String> columnComments() {
        Map<String, String> out = new LinkedHashMap<>();
        COLUMNS.forEach((k, v) -> out.put(k, (String) v[1]));
        return out;
    }

    /**
     * @param result a look
     * @param runId the run
     * @return its rows, in {@link #schema()} order
     */
    public static List<Row> rows(AnalysisResult result, String runId) {
        List<Row> out = new ArrayList<>();
        Experiment e = result.experiment();
        for (ResultRow r : result.rows()) {
            Comparison c = r.comparison();
            out.add(RowFactory.create(e.name(), Timestamp.from(result.asOf()), r.arm(), e.control().name(),
                    r.metric().key(), r.role(), r.slice(), c.controlUnits(), c.treatmentUnits(), c.controlValue(),
                    c.treatmentValue(), c.difference(), finite(c.relativeLift()), c.standardError(), c.low(), c.high(),
                    c.pValue(), c.sequentialLow(), c.sequentialHigh(), c.sequentialPValue(), r.adjustedPValue(),
                    c.varianceReduction(), finite(r.srmPValue()), result.decision().toString(), result.reason(),
                    runId));
        }
        return out;
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
