package io.cxml.training.profile;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.executor.TaskScoring;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.stages.TextClassifierStage;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * The reference profile of a registered version ({@code v<N>/}{@value #DIR}{@code /}{@value #FILE}): its held-out
 * window scored by the version itself on the executors (the same {@link TaskScoring} path as batch scoring), with the
 * channel, priority and team of those tickets from {@code curated/interactions} when the rows come from there.
 */
public final class ReferenceProfiles {
    /** Folder of a version holding its profile. */
    public static final String DIR = "profile";
    /** The reference profile file. */
    public static final String FILE = "reference.json";
    /** Profile fact: the version profiled. */
    public static final String FACT_MODEL = "model";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String PREFIX = "cxml_profile";

    private ReferenceProfiles() {}

    /**
     * @param versionUri a version's folder
     * @return its reference profile file
     */
    public static String uri(String versionUri) {
        return versionUri + "/" + DIR + "/" + FILE;
    }

    /**
     * Profiles a version's held-out rows as the version scores them (its calibration written to its folder first).
     *
     * @param heldOut rows of {@link TrainingColumns#SCHEMA} (the evaluated split)
     * @param source the version's files
     * @param batchSize texts per predictor call
     * @param device device preference
     * @param layout storage layout whose curated tickets give channel, priority and team (when they exist)
     * @param facts what is profiled (model version, source)
     * @return the profile, computed on the executors
     */
    public static Profile ofHeldOut(Dataset<Row> heldOut, ModelSource source, int batchSize,
            DevicePreference device, StorageLayout layout, Map<String, String> facts) {
        // Scored by the stage batch scoring runs, with the calibration the version's folder holds (scoring's).
        TextClassifierStage stage = new TextClassifierStage().setInputCol(TrainingColumns.TEXT)
                .setOutputPrefix(PREFIX).setModelUri(source.uri()).setModelLabel(source.label())
                .setBatchSize(Math.max(1, batchSize)).setTopK(1).setDevice(device);
        Dataset<Row> scored = stage.transform(heldOut.select(EmbeddingStage.keepingEmbeddings(heldOut,
                        TrainingColumns.TEXT, TrainingColumns.LANGUAGE, TrainingColumns.TENANT,
                        TrainingColumns.EVENT_TIME)))
                .select(functions.col(TrainingColumns.TEXT), functions.col(TrainingColumns.LANGUAGE),
                        functions.col(TrainingColumns.TENANT), functions.col(TrainingColumns.EVENT_TIME),
                        functions.col(PREFIX).as(ProfileColumns.PREDICTED),
                        functions.col(PREFIX + "_confidence").as(ProfileColumns.CONFIDENCE),
                        functions.col(PREFIX + "_routed").equalTo(functions.lit(ClassifierSpec.UNKNOWN))
                                .as(ProfileColumns.UNKNOWN))
                .persist(StorageLevel.MEMORY_AND_DISK()); // read by the context's time range and by the join
        try {
            Dataset<Row> rows = withContext(scored, layout)
                    .withColumn(ProfileColumns.TEXT_CHARS, functions.length(functions.col(TrainingColumns.TEXT)))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            try {
                return Profiler.profile(rows, null, facts);
            } finally {
                rows.unpersist();
            }
        } finally {
            scored.unpersist();
        }
    }

    /** Channel, priority and team of the rows' tickets, matched on (text, tenant, creation time). */
    private static Dataset<Row> withContext(Dataset<Row> scored, StorageLayout layout) {
        SparkSession spark = scored.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (layout == null || !StorageFiles.exists(layout.curatedInteractions(), hadoop)) {
            return scored;
        }
        Row range = scored.agg(functions.min(TrainingColumns.EVENT_TIME), functions.max(TrainingColumns.EVENT_TIME))
                .first();
        if (range.isNullAt(0)) {
            return scored;
        }
        Timestamp first = range.getTimestamp(0);
        Timestamp last = range.getTimestamp(1);
        Dataset<Row> context = spark.read().parquet(layout.curatedInteractions())
                .where(functions.col(CuratedInteractions.DT).between(functions.to_date(functions.lit(first)),
                        functions.to_date(functions.lit(last))))
                .select(functions.col(CuratedInteractions.TEXT).as(TrainingColumns.TEXT),
                        functions.col(CuratedInteractions.ACCOUNT_ID).as(ProfileColumns.TENANT),
                        functions.col(CuratedInteractions.CREATED_AT).as(TrainingColumns.EVENT_TIME),
                        functions.col(CuratedInteractions.CHANNEL).as(ProfileColumns.CHANNEL),
                        functions.col(CuratedInteractions.PRIORITY).as(ProfileColumns.PRIORITY),
                        functions.col(CuratedInteractions.ASSIGNED_GROUP).as(ProfileColumns.TEAM))
                .dropDuplicates(TrainingColumns.TEXT, ProfileColumns.TENANT, TrainingColumns.EVENT_TIME);
        return scored.join(context, new String[] {TrainingColumns.TEXT, ProfileColumns.TENANT,
            TrainingColumns.EVENT_TIME}, "left");
    }

    /**
     * @param profile the profile
     * @param versionUri the version's folder
     * @param hadoop Hadoop configuration
     */
    public static void write(Profile profile, String versionUri, Configuration hadoop) {
        Path file = new Path(uri(versionUri));
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            try (OutputStream out = fs.create(file, true)) {
                JSON.writeValue(out, profile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the reference profile " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param versionUri a version's folder
     * @param hadoop Hadoop configuration
     * @return its reference profile, empty for versions trained before profiles existed
     */
    public static Optional<Profile> read(String versionUri, Configuration hadoop) {
        Path file = new Path(uri(versionUri));
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                return Optional.empty();
            }
            try (InputStream in = fs.open(file)) {
                return Optional.of(JSON.readValue(in, Profile.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the reference profile " + file + ": " + e.getMessage()
                    + ". Retrain the version or delete the file to train a new one", e);
        }
    }
}
