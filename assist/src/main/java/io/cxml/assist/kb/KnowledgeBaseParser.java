package io.cxml.assist.kb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.ingest.Rejection;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Checks one export line against the knowledge-base contract: a JSON object with every required field of the right
 * type, a parseable UTC time, a locale code, a non-blank title or body within the size limit. Returns the curated row
 * or the rejection (its reason as {@code <kind>:<field>}, as the interaction ingest writes them).
 */
public final class KnowledgeBaseParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOCALE = Pattern.compile("[a-z]{2,3}([-_][a-z0-9]{2,8})?");

    private final int maxTextChars;

    /** @param maxTextChars longest title + body accepted */
    public KnowledgeBaseParser(int maxTextChars) {
        this.maxTextChars = maxTextChars;
    }

    /** A parsed line: a curated row (without source columns) or a rejection. */
    public record Result(Row row, Rejection rejection) {
        /** @return whether the line was valid */
        public boolean isValid() {
            return rejection == null;
        }
    }

    /**
     * @param line the raw line
     * @param file the file (curated source column)
     * @param lineNumber its 1-based line number
     * @return the row in {@link KnowledgeBaseArticles#SCHEMA} or the rejection
     */
    public Result parse(String line, String file, long lineNumber) {
        if (line.isBlank()) {
            return reject(Rejection.BLANK_LINE, null, "blank line");
        }
        JsonNode n;
        try {
            n = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return reject(Rejection.MALFORMED_JSON, null, e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) {
            return reject(Rejection.NOT_AN_OBJECT, null, "expected a JSON object");
        }
        for (String f : KnowledgeBaseArticles.REQUIRED) {
            JsonNode v = n.get(f);
            if (v == null || v.isNull()) {
                return reject(Rejection.MISSING_FIELD, f, "field " + f + " is missing");
            }
            boolean typed = KnowledgeBaseArticles.ARCHIVED.equals(f) ? v.isBoolean() : v.isTextual();
            if (!typed) {
                return reject(Rejection.WRONG_TYPE, f, "expected a "
                        + (KnowledgeBaseArticles.ARCHIVED.equals(f) ? "boolean" : "string") + ", got " + v);
            }
        }
        String id = n.get(KnowledgeBaseArticles.ARTICLE_ID).asText().trim();
        String account = n.get(KnowledgeBaseArticles.ACCOUNT_ID).asText().trim();
        if (id.isEmpty() || account.isEmpty()) {
            return reject(Rejection.INVALID_VALUE, id.isEmpty() ? KnowledgeBaseArticles.ARTICLE_ID
                    : KnowledgeBaseArticles.ACCOUNT_ID, "blank id");
        }
        String locale = n.get(KnowledgeBaseArticles.LOCALE).asText().trim().toLowerCase(Locale.ROOT);
        if (!LOCALE.matcher(locale).matches()) {
            return reject(Rejection.INVALID_VALUE, KnowledgeBaseArticles.LOCALE, "not a language code: " + locale);
        }
        Instant updated;
        try {
            updated = Instant.parse(n.get(KnowledgeBaseArticles.UPDATED_AT).asText());
        } catch (DateTimeParseException e) {
            return reject(Rejection.INVALID_TIMESTAMP, KnowledgeBaseArticles.UPDATED_AT,
                    "not an ISO-8601 UTC time: " + n.get(KnowledgeBaseArticles.UPDATED_AT).asText());
        }
        String title = n.get(KnowledgeBaseArticles.TITLE).asText().strip();
        String body = n.get(KnowledgeBaseArticles.BODY).asText().strip();
        if (title.isEmpty() && body.isEmpty()) {
            return reject(Rejection.EMPTY_TEXT, null, "no title and no body");
        }
        if (title.length() + body.length() > maxTextChars) {
            return reject(Rejection.TEXT_TOO_LARGE, null, (title.length() + body.length()) + " chars, limit "
                    + maxTextChars);
        }
        JsonNode truth = n.path(KnowledgeBaseArticles.TRUTH).path("intent");
        LocalDate day = updated.atZone(ZoneOffset.UTC).toLocalDate();
        return new Result(RowFactory.create(id, account, locale, title, body, Timestamp.from(updated),
                n.get(KnowledgeBaseArticles.ARCHIVED).asBoolean(), truth.isTextual() ? truth.asText() : null, file,
                lineNumber, Date.valueOf(day)), null);
    }

    private static Result reject(String kind, String field, String detail) {
        return new Result(null, new Rejection(field == null ? kind : kind + ":" + field, detail));
    }
}
