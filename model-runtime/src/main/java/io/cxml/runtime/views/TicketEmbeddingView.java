package io.cxml.runtime.views;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.to_date;

import io.cxml.contract.CuratedInteractions;
import io.cxml.features.view.FeatureViewDefinition;
import io.cxml.features.view.IncrementalFeatureView;
import io.cxml.runtime.embedding.BaseEncoder;
import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.stages.EmbeddingStage;
import java.sql.Date;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code ticket_embedding}: per ticket, at its creation, the sentence embedding of its normalized text (the
 * {@code ticket_text} view's {@code text_normalized}: subject + first message, lowercased) by the base encoder, as
 * float32 (384 values for e5-small: 1.5 KB a ticket before Parquet's compression), the SHA-256 of that text and
 * whether it was truncated at the encoder's token limit. The encoder's checksum and token limit are part of the
 * logic version, so another encoder writes a new view version and the old one stays readable.
 *
 * <p>Incremental: a text whose hash the version's stored rows of the window hold keeps its vector; only new texts
 * are embedded (on the executors, {@link EmbeddingStage}), each distinct text once. A second build of a window embeds
 * 0; a ticket whose text changed is embedded again.
 */
public final class TicketEmbeddingView implements IncrementalFeatureView {
    /** View name. */
    public static final String NAME = "ticket_embedding";
    /** Entity key. */
    public static final String TICKET_ID = CuratedInteractions.TICKET_ID;
    /** SHA-256 (hex) of the normalized text the vector embeds. */
    public static final String TEXT_SHA256 = EmbeddingStore.TEXT_SHA256;
    /** The vector. */
    public static final String EMBEDDING = EmbeddingStore.EMBEDDING;
    /** Whether the text was cut at the token limit. */
    public static final String TRUNCATED = EmbeddingStore.TRUNCATED;
    /** Bump when the computation changes. */
    static final String LOGIC_VERSION = "1";
    private static final String TEXT = "_text";

    private static final StructType FEATURES = new StructType()
            .add(TEXT_SHA256, DataTypes.StringType, false)
            .add(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType), false)
            .add(TRUNCATED, DataTypes.BooleanType, false);

    private final FeatureViewDefinition definition;
    private final BaseEncoder base;
    private final int batchSize;
    private final DevicePreference device;
    private transient EmbeddingStage.Counts counts;

    /**
     * @param base the encoder
     * @param ttl how long a vector stays joinable after the ticket's creation
     * @param batchSize rows per encoder call inside a task
     * @param device where the executors embed
     */
    public TicketEmbeddingView(BaseEncoder base, Duration ttl, int batchSize, DevicePreference device) {
        this.base = base;
        this.batchSize = batchSize;
        this.device = device;
        this.definition = FeatureViewDefinition.builder(NAME)
                .setEntityKey(CuratedInteractions.TICKET_ID)
                .setEventTimeColumn(CuratedInteractions.CREATED_AT)
                .setFeatures(FEATURES)
                .setLogicVersion(LOGIC_VERSION + ";encoder=" + base.fingerprint())
                .setTtl(ttl)
                .optOwner("ml-platform")
                .optDescription("Sentence embedding (float32) of the ticket's normalized text by " + base.name()
                        + ", its text's SHA-256 and whether it was truncated at " + base.maxTokens()
                        + " tokens; as of ticket creation.")
                .build();
    }

    @Override
    public FeatureViewDefinition definition() {
        return definition;
    }

    /** @return the encoder */
    public BaseEncoder encoder() {
        return base;
    }

    @Override
    public Dataset<Row> compute(Dataset<Row> curated, LocalDate from, LocalDate to, Dataset<Row> stored) {
        Dataset<Row> window = curated;
        if (!from.equals(LocalDate.MIN)) { // only the window's tickets: the vectors are too costly to compute twice
            Column created = to_date(col(CuratedInteractions.CREATED_AT));
            window = window.filter(created.between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
        }
        Dataset<Row> tickets = window
                .select(col(CuratedInteractions.TICKET_ID), col(CuratedInteractions.CREATED_AT),
                        lower(col(CuratedInteractions.TEXT)).as(TEXT))
                .where(col(TEXT).isNotNull())
                .withColumn(TEXT_SHA256, sha2(col(TEXT), 256));
        // Each distinct text is embedded once: the window's stored vectors are reused by text hash (also across
        // tickets with the same text), and only texts without one go through the encoder.
        Dataset<Row> texts = tickets.select(col(TEXT_SHA256), col(TEXT)).dropDuplicates(TEXT_SHA256);
        if (stored != null) {
            Dataset<Row> known = stored.groupBy(col(TEXT_SHA256))
                    .agg(functions.min_by(col(EMBEDDING), col(TICKET_ID)).as(EMBEDDING),
                            functions.min_by(col(TRUNCATED), col(TICKET_ID)).as(TRUNCATED));
            texts = texts.join(known, TEXT_SHA256, "left");
        }
        EmbeddingStage stage = new EmbeddingStage().setInputCol(TEXT).setEncoder(base).setBatchSize(batchSize)
                .setDevice(device);
        counts = stage.countWith(curated.sparkSession().sparkContext());
        Dataset<Row> vectors = stage.transform(texts).where(col(EMBEDDING).isNotNull())
                .select(col(TEXT_SHA256), col(EMBEDDING), functions.coalesce(col(TRUNCATED), lit(false)).as(TRUNCATED));
        return tickets.join(vectors, TEXT_SHA256)
                .select(col(TICKET_ID), col(CuratedInteractions.CREATED_AT), col(TEXT_SHA256), col(EMBEDDING),
                        col(TRUNCATED));
    }

    @Override
    public Map<String, Long> lastBuildCounts() {
        Map<String, Long> out = new LinkedHashMap<>();
        if (counts != null) {
            out.put("embedded", counts.embedded().value());
            out.put("truncated", counts.truncated().value());
        }
        return out;
    }
}
