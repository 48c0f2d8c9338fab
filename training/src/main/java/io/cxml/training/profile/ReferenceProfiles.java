package io.cxml.training.profile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.contract.CuratedInteractions;
import io.cxml.features.TrainingColumns;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.executor.ModelSource;
import io.cxml.runtime.executor.TaskScoring;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.Prediction;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
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
    private static final StructType SCORED = new StructType()
            .add(TrainingColumns.TEXT, DataTypes.StringType, true)
            .add(ProfileColumns.LANGUAGE, DataTypes.StringType, true)
            .add(ProfileColumns.TENANT, DataTypes.StringType, true)
            .add(TrainingColumns.EVENT_TIME, DataTypes.TimestampType, true)
            .add(ProfileColumns.PREDICTED, DataTypes.StringType, true)
            .add(ProfileColumns.CONFIDENCE, DataTypes.DoubleType, true)
            .add(ProfileColumns.UNKNOWN, DataTypes.BooleanType, true);

    private ReferenceProfiles() {}

    /**
     * @param versionUri a version's folder
     * @return its reference profile file
     */
    public static String uri(String versionUri) {
        return versionUri + "/" + DIR + "/" + FILE;
    }

    /**
     * Profiles a version's held-out rows as the version scores them.
     *
     * @param heldOut rows of {@link TrainingColumns#SCHEMA} (the evaluated split)
     * @param source the version's files
     * @param spec its calibration (temperature, unknown threshold): the one scoring uses
     * @param batchSize texts per predictor call
     * @param device device preference
     * @param layout storage layout whose curated tickets give channel, priority and team (when they exist)
     * @param facts what is profiled (model version, source)
     * @return the profile, computed on the executors
     */
    public static Profile ofHeldOut(Dataset<Row> heldOut, ModelSource source, ClassifierSpec spec, int batchSize,
            DevicePreference device, StorageLayout layout, Map<String, String> facts) {
        int size = Math.max(1, batchSize);
        JavaRDD<Row> scored = heldOut.select(TrainingColumns.TEXT, TrainingColumns.LANGUAGE, TrainingColumns.TENANT,
                TrainingColumns.EVENT_TIME).toJavaRDD().mapPartitions((Iterator<Row> it) -> {
                    TaskScoring task = TaskScoring.open(source, spec, 1, device);
                    return TaskScoring.inBatches(it, size, batch -> {
                        List<String> texts = new ArrayList<>(batch.size());
                        for (Row r : batch) {
                            texts.add(r.isNullAt(0) ? "" : r.getString(0));
                        }
                        List<Prediction> p = task.predict(texts);
                        List<Row> out = new ArrayList<>(batch.size());
                        for (int i = 0; i < batch.size(); i++) {
                            Row r = batch.get(i);
                            Prediction pi = p.get(i);
                            out.add(RowFactory.create(r.get(0), r.get(1), r.get(2), r.get(3), pi.label(),
                                    (double) pi.confidence(), ClassifierSpec.UNKNOWN.equals(pi.routedLabel())));
                        }
                        return out;
                    });
                });
        SparkSession spark = heldOut.sparkSession();
        Dataset<Row> rows = withContext(spark.createDataFrame(scored, SCORED), layout)
                .withColumn(ProfileColumns.TEXT_CHARS, functions.length(functions.col(TrainingColumns.TEXT)))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            return Profiler.profile(rows, null, facts);
        } finally {
            rows.unpersist();
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
