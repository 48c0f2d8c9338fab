package io.cxml.runtime.embedding;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Where a session finds vectors already computed: the {@code ticket_embedding} view version of one base encoder,
 * named in the session's conf ({@value #CONF} = {@code <encoder fingerprint>|<path>}) by the job that reads a head.
 * Lookup is by the SHA-256 of the normalized text, so any dataset with a text column (a training set, a labelled
 * file, the tickets being scored) reuses the stored vectors of the same texts, and only the rest are embedded.
 */
public final class EmbeddingStore {
    /** Session conf naming the store: {@code <encoder fingerprint>|<view version path>}. */
    public static final String CONF = "spark.cxml.embeddings.store";
    private static final String SHA = "_cxml_text_sha256";
    /** Stored column: the ticket. */
    public static final String TICKET_ID = "ticket_id";
    /** Stored column: SHA-256 (hex) of the normalized text the vector embeds. */
    public static final String TEXT_SHA256 = "text_sha256";
    /** Stored column: the vector. */
    public static final String EMBEDDING = "embedding";
    /** Stored column: whether the text was cut at the token limit. */
    public static final String TRUNCATED = "embedding_truncated";

    private EmbeddingStore() {}

    /**
     * @param row a row
     * @param index its array-of-float column (a stored embedding)
     * @return the vector
     */
    public static float[] vector(org.apache.spark.sql.Row row, int index) {
        java.util.List<Float> stored = row.getList(index);
        float[] v = new float[stored.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = stored.get(i);
        }
        return v;
    }

    /**
     * @param values a vector
     * @return it boxed for an array-of-float column (Spark's row encoder takes arrays and Seqs, not Lists)
     */
    public static Float[] boxed(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /**
     * Names the stored vectors of one encoder for the session's later stages.
     *
     * @param spark the session
     * @param base the encoder the vectors come from
     * @param path the view version's directory
     */
    public static void activate(SparkSession spark, BaseEncoder base, String path) {
        spark.conf().set(CONF, base.fingerprint() + "|" + path);
    }

    /**
     * @param spark the session
     * @param base an encoder
     * @return the directory of that encoder's stored vectors, or null when the session names none for it
     */
    public static String pathFor(SparkSession spark, BaseEncoder base) {
        String value = spark.conf().get(CONF, "");
        int bar = value.indexOf('|');
        if (bar <= 0 || !value.substring(0, bar).equals(base.fingerprint())) { // same encoder and token limit
            return null;
        }
        return value.substring(bar + 1);
    }

    /**
     * Adds an embedding stage's two columns: the stored vector of each row's text (and its truncation flag) when the
     * session's store has it (same encoder), else null, for the stage to fill. Rows that already have the columns are
     * left as they are.
     *
     * @param rows the rows
     * @param textCol their text column
     * @param base the encoder whose vectors are wanted
     * @param embeddingCol the vector column to add
     * @param truncatedCol the truncation column to add
     * @return the rows with the two columns (unchanged without a store)
     */
    public static Dataset<Row> attach(Dataset<Row> rows, String textCol, BaseEncoder base, String embeddingCol,
            String truncatedCol) {
        String path = pathFor(rows.sparkSession(), base);
        boolean present = path != null && io.cxml.storage.StorageFiles.exists(path,
                rows.sparkSession().sparkContext().hadoopConfiguration());
        if (!present || Arrays.asList(rows.columns()).contains(embeddingCol)) {
            return rows;
        }
        Dataset<Row> stored = rows.sparkSession().read().parquet(path)
                .groupBy(functions.col(TEXT_SHA256).as(SHA))
                // One vector per text, chosen deterministically (two batches may differ in the last float bits).
                .agg(functions.min_by(functions.col(EMBEDDING),
                                functions.col(TICKET_ID)).as(embeddingCol),
                        functions.min_by(functions.col(TRUNCATED),
                                functions.col(TICKET_ID)).as(truncatedCol));
        Column sha = functions.sha2(functions.lower(functions.col(textCol)), 256);
        return rows.withColumn(SHA, sha).join(stored, SHA, "left").drop(SHA);
    }
}
