package io.cxml.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.features.view.IncrementalFeatureView;
import io.cxml.runs.RunRecord;
import io.cxml.s3.Committers;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offline store: materializes feature views to {@code features/<view>/v<N>/dt=YYYY-MM-DD/} (Parquet, {@code dt} =
 * UTC date of the event time) and reads them back.
 *
 * <p>A build covers a window of event dates. It reads every curated ticket created up to the window's end (history
 * features look back without limit), computes the view, keeps the events dated inside the window and replaces exactly
 * those date partitions (dynamic overwrite; window days without events are cleared), so re-running a window gives the
 * same files and building day by day gives the same data as one big build. The version comes from the registry: a
 * changed definition writes to a new {@code v<N+1>} folder and leaves the old one intact.
 */
public final class OfflineStore {
    private static final Logger LOG = LoggerFactory.getLogger(OfflineStore.class);
    /** Partition column of every view. */
    public static final String DT = "dt";

    private final SparkSession spark;
    private final StorageLayout layout;
    private final FeatureRegistry registry;

    /**
     * @param spark the session
     * @param layout storage layout
     */
    public OfflineStore(SparkSession spark, StorageLayout layout) {
        this.spark = spark;
        this.layout = layout;
        this.registry = new FeatureRegistry(layout, spark.sparkContext().hadoopConfiguration());
    }

    /** @return the registry beside the data */
    public FeatureRegistry registry() {
        return registry;
    }

    /**
     * Builds views for a window of event dates; fills the record's counts ({@code <view>.rows}) and details.
     *
     * @param views the views to build
     * @param from first event date, inclusive
     * @param to last event date, inclusive
     * @param record the run record
     * @return view name to the version built
     */
    public Map<String, Integer> build(List<FeatureView> views, LocalDate from, LocalDate to, RunRecord record) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Cannot build features for " + from + ".." + to
                    + ": --to is before --from. Swap them");
        }
        record.window.put("from", from.toString());
        record.window.put("to", to.toString());
        String curatedPath = layout.curatedInteractions();
        if (!exists(curatedPath)) {
            throw new IllegalStateException("Cannot build features: no curated interactions at " + curatedPath
                    + ". Run bin/cxml ingest first");
        }
        Dataset<Row> curated = spark.read().schema(CuratedInteractions.SCHEMA).parquet(curatedPath)
                .filter(col(CuratedInteractions.DT).leq(lit(Date.valueOf(to))));
        Map<String, Integer> built = new LinkedHashMap<>();
        for (FeatureView view : views) {
            FeatureViewDefinition def = view.definition();
            FeatureRegistry.VersionEntry version = registry.register(def);
            String path = registry.pathOf(version);
            long rows;
            if (view instanceof IncrementalFeatureView incremental) {
                String staging = layout.resolve("_staging/features/" + def.name() + "/" + record.runId);
                Dataset<Row> stored = exists(path) ? spark.read().schema(def.storedSchema().add(DT,
                        DataTypes.DateType)).parquet(path).filter(col(DT).between(lit(Date.valueOf(from)),
                        lit(Date.valueOf(to)))).drop(DT) : null;
                // Staged: the view reads the partitions this build replaces.
                incremental.compute(curated, from, to, stored).write().mode(SaveMode.Overwrite).parquet(staging);
                try {
                    rows = write(spark.read().schema(def.storedSchema()).parquet(staging), def, path, from, to);
                } finally {
                    delete(staging);
                }
                incremental.lastBuildCounts().forEach((k, v) -> record.count(def.name() + "." + k, v));
            } else {
                rows = write(view.compute(curated), def, path, from, to);
            }
            registry.recordBuild(def.name(), version.version, from, to, record.runId);
            record.count(def.name() + ".rows", rows);
            record.versions.put("features." + def.name(), "v" + version.version);
            built.put(def.name(), version.version);
            LOG.info("Built {} v{}: {} event(s) dated {}..{} in {}", def.name(), version.version, rows, from, to,
                    path);
        }
        record.details.put("feature_versions", built);
        return built;
    }

    /**
     * Reads one version of a view.
     *
     * @param view view name
     * @param version version
     * @return its events, with the {@code dt} partition column
     */
    public Dataset<Row> read(String view, int version) {
        String path = registry.pathOf(registry.version(view, version));
        if (!exists(path)) {
            throw new IllegalStateException("Cannot read feature view " + view + " v" + version + ": nothing at "
                    + path + ". Run bin/cxml features build for the window you need");
        }
        return spark.read().parquet(path);
    }

    private long write(Dataset<Row> events, FeatureViewDefinition def, String path, LocalDate from, LocalDate to) {
        List<Column> columns = new ArrayList<>();
        for (StructField f : def.storedSchema().fields()) {
            columns.add(col(f.name()).cast(f.dataType()).as(f.name()));
        }
        Column date = to_date(col(def.eventTimeColumn()));
        columns.add(date.as(DT));
        Dataset<Row> inWindow = events
                .filter(date.between(lit(Date.valueOf(from)), lit(Date.valueOf(to))))
                .select(columns.toArray(new Column[0]))
                .repartition(col(DT))
                .sortWithinPartitions(def.entityKey(), def.eventTimeColumn());
        // Dynamic partition overwrite: the S3A committers refuse it, so this write uses the classic committer.
        Committers.withClassicCommitter(spark, () -> {
            inWindow.write().mode(SaveMode.Overwrite).option("partitionOverwriteMode", "dynamic").partitionBy(DT)
                    .parquet(path);
            return null;
        });

        Dataset<Row> written = spark.read().schema(def.storedSchema().add(DT, DataTypes.DateType)).parquet(path)
                .filter(col(DT).between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
        Set<LocalDate> withRows = new HashSet<>();
        long rows = 0;
        for (Row r : written.groupBy(DT).count().collectAsList()) {
            withRows.add(r.getDate(0).toLocalDate());
            rows += r.getLong(1);
        }
        // Dynamic overwrite only replaces partitions that got rows: clear window days that now have none.
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (!withRows.contains(d)) {
                delete(path + "/" + DT + "=" + d);
            }
        }
        return rows;
    }

    private boolean exists(String path) {
        return StorageFiles.exists(path, spark.sparkContext().hadoopConfiguration());
    }

    private void delete(String path) {
        StorageFiles.deleteIfExists(path, spark.sparkContext().hadoopConfiguration());
    }
}
