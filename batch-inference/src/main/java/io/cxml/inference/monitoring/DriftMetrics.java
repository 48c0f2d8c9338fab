package io.cxml.inference.monitoring;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Contract of {@code DRIFT_METRICS}: one row per metric of a drift check, with the comments analysts see. */
public final class DriftMetrics {
    /** Key columns. */
    public static final String[] KEY = {"run_id", "slice", "feature", "metric"};
    /** Table comment. */
    public static final String TABLE_COMMENT = "One row per drift metric of a cxml monitor drift run: a slice of the "
            + "scored tickets of a window against the champion's reference profile.";
    /** Schema, in the published order. */
    public static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.StringType, false)
            .add("checked_at", DataTypes.TimestampType, false)
            .add("window_from", DataTypes.TimestampType, false)
            .add("window_to", DataTypes.TimestampType, false)
            .add("model", DataTypes.StringType, false)
            .add("slice", DataTypes.StringType, false)
            .add("feature", DataTypes.StringType, false)
            .add("metric", DataTypes.StringType, false)
            .add("value", DataTypes.DoubleType, false)
            .add("reference_value", DataTypes.DoubleType, true)
            .add("window_value", DataTypes.DoubleType, true)
            .add("reference_tickets", DataTypes.LongType, false)
            .add("window_tickets", DataTypes.LongType, false)
            .add("level", DataTypes.StringType, false);

    private DriftMetrics() {}

    /** @return the comment of every column */
    public static Map<String, String> columnComments() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("run_id", "cxml run of the check (runs/monitor-drift/<run_id>.json); with slice, feature, metric the key.");
        c.put("checked_at", "When the check ran (UTC).");
        c.put("window_from", "First ticket creation time of the window (UTC).");
        c.put("window_to", "First creation time after the window (UTC).");
        c.put("model", "Intent model version whose reference profile and scores were compared.");
        c.put("slice", "overall, language=<code> or tenant=<id>.");
        c.put("feature", "Input (language, channel, priority, tenant, team, text_chars) or output (predicted, "
                + "confidence, unknown).");
        c.put("metric", "psi, js_distance (predicted classes), mean_shift (confidence), rate_shift (unknown rate).");
        c.put("value", "The metric; shifts are window minus reference.");
        c.put("reference_value", "Reference value of a shift (null for distances).");
        c.put("window_value", "Window value of a shift (null for distances).");
        c.put("reference_tickets", "Tickets of the slice in the reference profile.");
        c.put("window_tickets", "Tickets of the slice in the window.");
        c.put("level", "OK, WARN or ALERT against cxml.monitor.drift thresholds.");
        return c;
    }

    /**
     * @param spark the session
     * @param result the check (its findings are aggregates: a few hundred rows)
     * @param runId the run
     * @param from window start
     * @param to window end
     * @param model the model version
     * @return the rows
     */
    public static Dataset<Row> rows(SparkSession spark, DriftResult result, String runId, Instant from, Instant to,
            String model) {
        Timestamp now = Timestamp.from(Instant.now());
        List<Row> rows = new ArrayList<>();
        for (DriftFinding f : result.findings()) {
            rows.add(RowFactory.create(runId, now, Timestamp.from(from), Timestamp.from(to), model, f.slice(),
                    f.feature(), f.metric(), f.value(), Double.isNaN(f.reference()) ? null : f.reference(),
                    Double.isNaN(f.window()) ? null : f.window(), f.referenceRows(), f.windowRows(),
                    f.level().name()));
        }
        return spark.createDataFrame(rows, SCHEMA);
    }
}
