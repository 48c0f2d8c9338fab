package io.cxml.jobs.features;

import static org.apache.spark.sql.functions.col;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TimeSplits;
import io.cxml.features.TrainingSetBuilder;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.storage.StorageLayout;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml features training-set}: labels + point-in-time feature values + time-based splits. */
@Command(name = "training-set", mixinStandardHelpOptions = true,
        description = {"Join feature views onto label rows as of each label's time (latest event at or before it, "
                + "within the view's TTL; nothing from the future), add a time-based split column "
                + "(train/validation/test) and write Parquet plus _training_set.json with the exact view versions."})
public final class TrainingSetCommand extends CxmlCommand {
    /** {@code --labels} value that means the curated interactions table. */
    public static final String CURATED = "curated";
    /** Curated columns kept as label columns when {@code --labels curated}. */
    static final String[] CURATED_LABEL_COLUMNS = {CuratedInteractions.TICKET_ID, CuratedInteractions.ACCOUNT_ID,
        CuratedInteractions.REQUESTER_ID, CuratedInteractions.CREATED_AT, CuratedInteractions.CHANNEL,
        CuratedInteractions.TEXT, CuratedInteractions.ASSIGNED_GROUP, CuratedInteractions.CSAT,
        CuratedInteractions.TRUE_INTENT, CuratedInteractions.TRUE_LANGUAGE, CuratedInteractions.DT};

    @Option(names = "--labels", required = true, paramLabel = "TABLE|PATH", description = "Label rows: "
            + "'curated' (curated/interactions, one row per ticket) or a Parquet path or URI.")
    String labels;

    @Option(names = "--views", required = true, split = ",", paramLabel = "VIEW[:vN],...",
            description = "Views to join, newest version unless :vN is given, e.g. ticket_text,customer_history:v1.")
    List<String> views = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output folder (overwritten); "
            + "a relative path is under the storage root, e.g. training-sets/intent.")
    String out;

    @Option(names = "--label-time", paramLabel = "COLUMN", description = "Label time column (default: "
            + "cxml.features.training-set.label-time-column).")
    String labelTime;

    @Option(names = "--validation-from", paramLabel = "DATE", description = "First day of the validation window "
            + "(default: by label-time quantiles, cxml.features.training-set.*-fraction).")
    LocalDate validationFrom;

    @Option(names = "--test-from", paramLabel = "DATE", description = "First day of the test window.")
    LocalDate testFrom;

    @Override
    public Integer call() {
        CxmlConfig config = config();
        if ((validationFrom == null) != (testFrom == null)) {
            throw new CxmlException("Cannot split the training set: give both --validation-from and --test-from, or "
                    + "neither to split by label-time quantiles");
        }
        String timeColumn = labelTime != null ? labelTime : config.getString(FeaturesConfig.LABEL_TIME_COLUMN);
        double validationFraction = config.getDouble(FeaturesConfig.VALIDATION_FRACTION);
        double testFraction = config.getDouble(FeaturesConfig.TEST_FRACTION);
        List<TrainingSetBuilder.ViewRef> refs = views.stream().map(TrainingSetBuilder.ViewRef::parse).toList();
        JobRun.execute(config, "features training-set", System.out, (spark, layout, record) -> {
            Dataset<Row> rows = readLabels(spark, layout);
            TimeSplits splits = validationFrom != null
                    ? new TimeSplits(validationFrom.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            testFrom.atStartOfDay(ZoneOffset.UTC).toInstant())
                    : TimeSplits.atQuantiles(rows, timeColumn, validationFraction, testFraction);
            new TrainingSetBuilder(spark, layout).build(rows, labels, timeColumn, refs, splits, output(layout),
                    record);
        });
        return 0;
    }

    private Dataset<Row> readLabels(SparkSession spark, StorageLayout layout) {
        if (CURATED.equals(labels)) {
            return spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions())
                    .select(java.util.Arrays.stream(CURATED_LABEL_COLUMNS).map(c -> col(c))
                            .toArray(org.apache.spark.sql.Column[]::new));
        }
        return spark.read().parquet(labels);
    }

    private String output(StorageLayout layout) {
        return layout.resolveUserPath(out);
    }
}
