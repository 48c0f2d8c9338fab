package io.cxml.jobs.features;

import static org.apache.spark.sql.functions.col;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingSetBuilder;
import io.cxml.features.TrainingSetColumns;
import io.cxml.features.split.SplitPlan;
import io.cxml.features.split.SplitShares;
import io.cxml.features.split.TimeSplits;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.storage.StorageLayout;
import io.cxml.training.data.SentimentWeakLabels;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.MapType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cxml features training-set}: labels + point-in-time feature values + the split, with a manifest naming the
 * model-input columns ({@link TrainingSetColumns}) that every trainer reads.
 */
@Command(name = "training-set", mixinStandardHelpOptions = true,
        description = {"Join feature views onto label rows as of each label's time (latest event at or before it, "
                + "within the view's TTL; nothing from the future), add the split column (train/validation/test: by "
                + "label time, or a seeded hash when some label has no time) and write Parquet plus "
                + "_training_set.json with the split, the text/language/tenant/label-time columns, each task's label "
                + "column and the exact view versions."})
public final class TrainingSetCommand extends CxmlCommand {
    /** {@code --labels} value that means the curated interactions table. */
    public static final String CURATED = "curated";
    /** Column added to curated labels: the sentiment weak label ({@link SentimentWeakLabels#weakLabel()}). */
    public static final String SENTIMENT_LABEL = "sentiment_weak_label";
    /** Column added to curated labels: the intent label from the export ({@code cxml.training.labels}). */
    public static final String INTENT_LABEL = "intent_label";
    /** Column added to curated labels: everything the customer wrote ({@link SentimentWeakLabels#customerText()}). */
    public static final String CUSTOMER_TEXT = "customer_text";
    /** Value of a column option meaning "the set has no such column". */
    static final String NONE = "none";
    /**
     * Curated columns kept as label columns when {@code --labels curated}; {@code true_intent} and
     * {@code true_language} (generated data only) are kept to measure against
     * ({@link io.cxml.training.data.FeatureStoreTrainingSet}), never as a label or a language.
     */
    static final String[] CURATED_LABEL_COLUMNS = {CuratedInteractions.TICKET_ID, CuratedInteractions.ACCOUNT_ID,
        CuratedInteractions.REQUESTER_ID, CuratedInteractions.CREATED_AT, CuratedInteractions.CHANNEL,
        CuratedInteractions.PRIORITY, CuratedInteractions.TEXT, CuratedInteractions.ASSIGNED_GROUP,
        CuratedInteractions.CSAT, CuratedInteractions.TRUE_INTENT, CuratedInteractions.TRUE_LANGUAGE,
        CuratedInteractions.DT};

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

    @Option(names = "--text-column", paramLabel = "COLUMN", description = "Model text column (default: "
            + "ticket_text__text_normalized when ticket_text is joined, else the labels' text).")
    String textColumn;

    @Option(names = "--language-column", paramLabel = "COLUMN|none", description = "Language column (default: "
            + "ticket_text__language when ticket_text is joined, else the labels' language, else none).")
    String languageColumn;

    @Option(names = "--tenant-column", paramLabel = "COLUMN|none", description = "Tenant column (default: "
            + "account_id, else tenant, else none).")
    String tenantColumn;

    @Option(names = "--task-label", paramLabel = "TASK=COLUMN", description = "Label column of a task, repeatable, "
            + "e.g. intent=reason (default for --labels curated: intent=" + INTENT_LABEL + ", the export's field "
            + "named by cxml.training.labels, and sentiment="
            + SENTIMENT_LABEL + " on " + CUSTOMER_TEXT + ").")
    Map<String, String> taskLabels = new LinkedHashMap<>();

    @Option(names = "--validation-from", paramLabel = "DATE", description = "First day of the validation window "
            + "(default: the shares cxml.features.training-set.validation-share / test-share).")
    LocalDate validationFrom;

    @Option(names = "--test-from", paramLabel = "DATE", description = "First day of the test window.")
    LocalDate testFrom;

    @Override
    public Integer call() {
        Settings config = settings();
        if ((validationFrom == null) != (testFrom == null)) {
            throw new CxmlException("Cannot split the training set: give both --validation-from and --test-from, or "
                    + "neither to split by the configured shares");
        }
        String timeColumn = labelTime != null ? labelTime : config.features().labelTimeColumn();
        SplitShares shares = config.features().trainingSetShares();
        long seed = config.features().splitSeed();
        List<TrainingSetBuilder.ViewRef> refs = views.stream().map(TrainingSetBuilder.ViewRef::parse).toList();
        JobRun.execute(config, "features training-set", System.out, (spark, layout, record) -> {
            Dataset<Row> rows = readLabels(spark, layout, config);
            TrainingSetColumns columns = columns(List.of(rows.columns()), refs, timeColumn);
            SplitPlan plan = validationFrom != null
                    ? SplitPlan.byTime(new TimeSplits(validationFrom.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            testFrom.atStartOfDay(ZoneOffset.UTC).toInstant()), timeColumn)
                    : SplitPlan.choose(rows, timeColumn, hashColumns(rows, columns), shares, seed);
            new TrainingSetBuilder(spark, layout).build(rows, labels, columns, refs, plan, output(layout), record);
        });
        return 0;
    }

    private TrainingSetColumns columns(List<String> labelColumns, List<TrainingSetBuilder.ViewRef> refs,
            String timeColumn) {
        Map<String, TrainingSetColumns.Task> tasks = new LinkedHashMap<>();
        if (CURATED.equals(labels) && taskLabels.isEmpty()) {
            tasks.put("intent", new TrainingSetColumns.Task(INTENT_LABEL, null, null));
            tasks.put("sentiment", new TrainingSetColumns.Task(SENTIMENT_LABEL, CUSTOMER_TEXT,
                    SentimentWeakLabels.RULE));
        }
        taskLabels.forEach((task, column) -> tasks.put(task, new TrainingSetColumns.Task(column, null, null)));
        TrainingSetColumns d = TrainingSetColumns.defaults(labelColumns, refs, timeColumn, tasks);
        try {
            return new TrainingSetColumns(textColumn != null ? textColumn : d.text(), pick(languageColumn,
                    d.language()), pick(tenantColumn, d.tenant()), timeColumn, tasks);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
    }

    private static String pick(String option, String fallback) {
        return option == null ? fallback : NONE.equals(option) ? null : option;
    }

    /** The text and label columns when the labels hold them (equal rows then share a split), else every column. */
    private static List<String> hashColumns(Dataset<Row> rows, TrainingSetColumns columns) {
        List<String> have = Arrays.asList(rows.columns());
        List<String> picked = new ArrayList<>();
        if (have.contains(columns.text())) {
            picked.add(columns.text());
        }
        columns.tasks().values().stream().map(TrainingSetColumns.Task::label).filter(have::contains).distinct()
                .forEach(picked::add);
        if (picked.isEmpty() || !have.contains(columns.text())) {
            picked.clear();
            Arrays.stream(rows.schema().fields()).filter(f -> !(f.dataType() instanceof MapType))
                    .forEach(f -> picked.add(f.name()));
        }
        return picked;
    }

    private Dataset<Row> readLabels(SparkSession spark, StorageLayout layout, Settings config) {
        if (CURATED.equals(labels)) {
            List<org.apache.spark.sql.Column> keep = new ArrayList<>();
            Arrays.stream(CURATED_LABEL_COLUMNS).forEach(c -> keep.add(col(c)));
            keep.add(config.labels().intent().label().as(INTENT_LABEL));
            keep.add(SentimentWeakLabels.customerText().as(CUSTOMER_TEXT));
            keep.add(SentimentWeakLabels.weakLabel().as(SENTIMENT_LABEL));
            return spark.read().schema(CuratedInteractions.SCHEMA).parquet(layout.curatedInteractions())
                    .select(keep.toArray(new org.apache.spark.sql.Column[0]));
        }
        return spark.read().parquet(labels);
    }

    private String output(StorageLayout layout) {
        return layout.resolveUserPath(out);
    }
}
