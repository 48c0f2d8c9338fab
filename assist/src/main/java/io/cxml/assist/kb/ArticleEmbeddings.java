package io.cxml.assist.kb;

import static org.apache.spark.sql.functions.col;

import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.storage.StorageFiles;
import io.cxml.storage.StorageLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chunk vectors of every published article version, by the tickets' base encoder, kept under
 * {@code features/kb_embedding/<encoder>}: one row per (article, version, chunk) with the SHA-256 of the chunk text.
 * Incremental: a chunk whose text the store already holds keeps its vector, so each version is embedded once; a
 * build stages the new store and then replaces the old one. Archived versions are not embedded (they are never
 * suggested).
 */
public final class ArticleEmbeddings {
    private static final Logger LOG = LoggerFactory.getLogger(ArticleEmbeddings.class);
    public static final String CHUNK = "chunk";
    public static final String TEXT_SHA256 = "text_sha256";
    public static final String EMBEDDING = "embedding";
    private static final String TEXT = "_text";

    private final SparkSession spark;
    private final StorageLayout layout;
    private final BaseEncoder base;

    /**
     * @param spark the session
     * @param layout the storage layout
     * @param base the tickets' base encoder
     */
    public ArticleEmbeddings(SparkSession spark, StorageLayout layout, BaseEncoder base) {
        this.spark = spark;
        this.layout = layout;
        this.base = base;
    }

    /** @return the store's directory: one per encoder checksum and token limit */
    public String path() {
        return layout.resolve("features/kb_embedding/" + version());
    }

    /** @return the store's version: a digest of the encoder fingerprint (model and token limit) */
    public String version() {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(base.fingerprint().getBytes(StandardCharsets.UTF_8));
            return "enc-" + HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Embeds the chunks of the article versions the store lacks and rewrites the store.
     *
     * @param articles curated article versions ({@link KnowledgeBaseArticles#SCHEMA})
     * @param chunks how articles are cut
     * @param batchSize texts per encoder call
     * @param device where executors embed
     * @return chunks embedded this time (0 when every version was embedded before)
     */
    public long update(Dataset<Row> articles, ArticleChunks chunks, int batchSize, DevicePreference device) {
        UDF2<String, String, List<String>> split = (t, b) -> chunks.split(t, b);
        Dataset<Row> texts = articles.filter(col(KnowledgeBaseArticles.ARCHIVED).equalTo(false))
                .select(col(KnowledgeBaseArticles.ARTICLE_ID), col(KnowledgeBaseArticles.UPDATED_AT),
                        functions.posexplode(functions.udf(split, DataTypes.createArrayType(DataTypes.StringType))
                                .apply(col(KnowledgeBaseArticles.TITLE), col(KnowledgeBaseArticles.BODY))))
                .withColumnRenamed("pos", CHUNK).withColumnRenamed("col", TEXT)
                .withColumn(TEXT_SHA256, functions.sha2(functions.lower(col(TEXT)), 256));
        EmbeddingStage stage = new EmbeddingStage().setEncoder(base).setBatchSize(batchSize).setDevice(device)
                .setInputCol(TEXT).setOutputPrefix(EMBEDDING);
        String target = path();
        boolean exists = StorageFiles.exists(target, spark.sparkContext().hadoopConfiguration());
        if (exists) { // vectors of the same texts, stored before
            Dataset<Row> stored = spark.read().parquet(target).groupBy(TEXT_SHA256)
                    .agg(functions.min_by(col(EMBEDDING), col(KnowledgeBaseArticles.ARTICLE_ID)).as(EMBEDDING),
                            functions.first(functions.lit(false)).as(stage.truncatedCol()));
            texts = texts.join(stored, TEXT_SHA256, "left");
        }
        // A knowledge base is a few small files, which Spark packs into one partition: spread the chunks over the
        // executors so that embedding them is not one task's work.
        texts = texts.repartition(spark.sparkContext().defaultParallelism(), col(TEXT_SHA256));
        EmbeddingStage.Counts counts = stage.countWith(spark.sparkContext());
        Dataset<Row> embedded = stage.transform(texts).select(col(KnowledgeBaseArticles.ARTICLE_ID),
                col(KnowledgeBaseArticles.UPDATED_AT), col(CHUNK), col(TEXT_SHA256), col(EMBEDDING));
        String staging = layout.resolve("_staging/kb-embedding/" + version());
        embedded.orderBy(KnowledgeBaseArticles.ARTICLE_ID, KnowledgeBaseArticles.UPDATED_AT, CHUNK)
                .write().mode(SaveMode.Overwrite).parquet(staging);
        long count = counts.embedded().value();
        StorageFiles.deleteIfExists(target, spark.sparkContext().hadoopConfiguration());
        try {
            org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
            org.apache.hadoop.fs.FileSystem fs = dst.getFileSystem(spark.sparkContext().hadoopConfiguration());
            fs.mkdirs(dst.getParent());
            if (!fs.rename(new org.apache.hadoop.fs.Path(staging), dst)) {
                throw new java.io.IOException("rename returned false");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot move " + staging + " to " + target + ": " + e.getMessage(),
                    e);
        }
        LOG.info("Article chunks embedded: {} new, store {}", count, target);
        return count;
    }
}
