package io.cxml.assist;

import static org.apache.spark.sql.functions.col;

import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.contract.CuratedInteractions;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * What a search of a window reads, before any vector is attached: the same rows for the embedding search and for
 * the TF-IDF baseline of the evaluation, so both rank the same candidates.
 */
public final class AssistInputs {
    private AssistInputs() {}

    /**
     * @param curated curated interactions
     * @param from first creation time included
     * @param to first creation time excluded
     * @return the window's tickets: ticket_id, account_id, created_at, text
     */
    public static Dataset<Row> windowTickets(Dataset<Row> curated, Instant from, Instant to) {
        return curated.filter(col(CuratedInteractions.CREATED_AT).geq(Timestamp.from(from))
                        .and(col(CuratedInteractions.CREATED_AT).lt(Timestamp.from(to))))
                .select(CuratedInteractions.TICKET_ID, CuratedInteractions.ACCOUNT_ID, CuratedInteractions.CREATED_AT,
                        CuratedInteractions.TEXT);
    }

    /**
     * @param curated curated interactions
     * @param tenants the tenants searched (account_id)
     * @param to end of the window: later solves cannot precede any of its tickets
     * @return the tenants' tickets solved before {@code to}, every curated column
     */
    public static Dataset<Row> solvedBefore(Dataset<Row> curated, Dataset<Row> tenants, Instant to) {
        return curated.filter(col(CuratedInteractions.SOLVED_AT).lt(Timestamp.from(to)))
                .join(tenants, CuratedInteractions.ACCOUNT_ID);
    }

    /**
     * @param articles curated article versions
     * @param tenants the tenants searched
     * @return their published (not archiving) versions with {@value SuggestionSearch#VALID_TO}, the next version's
     *     start (null while current)
     */
    public static Dataset<Row> publishedVersions(Dataset<Row> articles, Dataset<Row> tenants) {
        return articles.join(tenants, KnowledgeBaseArticles.ACCOUNT_ID)
                .withColumn(SuggestionSearch.VALID_TO, functions.lead(col(KnowledgeBaseArticles.UPDATED_AT), 1)
                        .over(Window.partitionBy(KnowledgeBaseArticles.ARTICLE_ID)
                                .orderBy(KnowledgeBaseArticles.UPDATED_AT)))
                .filter(col(KnowledgeBaseArticles.ARCHIVED).equalTo(false));
    }
}
