package io.cxml.runtime.embedding;

import io.cxml.runtime.stages.EmbeddingStage;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where a session finds vectors already computed: the {@code ticket_embedding} view version of one base encoder,
 * named in the session's conf ({@value #CONF} = {@code <encoder checksum>|<path>}) by the job that reads a head.
 * Lookup is by the SHA-256 of the normalized text, so any dataset with a text column (a training set, a labelled
 * file, the tickets being scored) reuses the stored vectors of the same texts, and only the rest are embedded.
 */
public final class EmbeddingStore {
    /** Session conf naming the store: {@code <encoder checksum>|<view version path>}. */
    public static final String CONF = "spark.cxml.embeddings.store";
    private static final String SHA = "_cxml_text_sha256";

    private EmbeddingStore() {}

    /**
     * Names the stored vectors of one encoder for the session's later stages.
     *
     * @param spark the session
     * @param base the encoder the vectors come from
     * @param path the view version's directory
     */
    public static void activate(SparkSession spark, BaseEncoder base, String path) {
        spark.conf().set(CONF, base.checksum() + "|" + path);
    }

    /**
     * @param spark the session
     * @param base an encoder
     * @return the directory of that encoder's stored vectors, or null when the session names none for it
     */
    public static String pathFor(SparkSession spark, BaseEncoder base) {
        String value = spark.conf().get(CONF, "");
        int bar = value.indexOf('|');
        if (bar <= 0 || !value.substring(0, bar).equals(base.checksum())) {
            return null;
        }
        return value.substring(bar + 1);
    }

    /**
     * Adds the embedding and truncation columns of an {@link EmbeddingStage}: the stored vector of each row's text
     * when the session's store has it (same encoder), else null (for the stage to fill).
     *
     * @param rows the rows
     * @param textCol their text column
     * @param base the encoder whose vectors are wanted
     * @param stage the stage that fills the rest (its output columns)
     * @return the rows with the two columns
     */
    public static Dataset<Row> attach(Dataset<Row> rows, String textCol, BaseEncoder base, EmbeddingStage stage) {
        String path = pathFor(rows.sparkSession(), base);
        boolean present = path != null && io.cxml.storage.StorageFiles.exists(path,
                rows.sparkSession().sparkContext().hadoopConfiguration());
        if (!present || Arrays.asList(rows.columns()).contains(stage.embeddingCol())) {
            return rows;
        }
        Dataset<Row> stored = rows.sparkSession().read().parquet(path)
                .groupBy(functions.col(TicketEmbeddingView.TEXT_SHA256).as(SHA))
                // One vector per text, chosen deterministically (two batches may differ in the last float bits).
                .agg(functions.min_by(functions.col(TicketEmbeddingView.EMBEDDING),
                                functions.col(TicketEmbeddingView.TICKET_ID)).as(stage.embeddingCol()),
                        functions.min_by(functions.col(TicketEmbeddingView.TRUNCATED),
                                functions.col(TicketEmbeddingView.TICKET_ID)).as(stage.truncatedCol()));
        Column sha = functions.sha2(functions.lower(functions.col(textCol)), 256);
        return rows.withColumn(SHA, sha).join(stored, SHA, "left").drop(SHA);
    }
}
