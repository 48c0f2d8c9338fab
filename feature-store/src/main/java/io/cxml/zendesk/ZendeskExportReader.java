package io.cxml.zendesk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxml.ingest.Rejection;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads one file of the Zendesk export into {@link ZendeskRecord}s. A {@code .json} file is one API response (a page
 * of the Incremental Ticket Export, of the Incremental Ticket Event Export with {@code include=comment_events}, or of
 * the ticket comments endpoint); a {@code .jsonl} file holds one such document, or one ticket object, per line.
 * Bytes that are not UTF-8 become U+FFFD and are counted on the records they landed in; nothing here throws on bad
 * content, a bad document becomes a reject. Runs on executors.
 */
public final class ZendeskExportReader {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** The comments endpoint's response does not name its ticket: the file name does, {@code comments-<id>...}. */
    private static final Pattern COMMENTS_FILE = Pattern.compile("comments-(\\d+)[^/]*$");
    private static final Pattern LINE_BREAK = Pattern.compile("\n");
    private static final int DETAIL_MAX = 200;

    static final String TICKETS = "tickets";
    static final String TICKET_EVENTS = "ticket_events";
    static final String CHILD_EVENTS = "child_events";
    static final String COMMENTS = "comments";
    static final String METRIC_SETS = "metric_sets";
    static final String METRIC_SET = "metric_set";
    static final String ID = "id";
    static final String TICKET_ID = "ticket_id";
    static final String CREATED_AT = "created_at";

    private ZendeskExportReader() {}

    /**
     * @param in the file's bytes (closed when the iterator is exhausted)
     * @param file its path: {@code .gz} is gunzipped, {@code .jsonl} read line by line, anything else as one document
     * @return the records, lazily for JSON lines
     * @throws IOException when the file cannot be opened (a corrupt gzip header, say)
     */
    public static Iterator<ZendeskRecord> read(InputStream in, String file) throws IOException {
        InputStream content = new BufferedInputStream(file.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in,
                1 << 16);
        String name = file.endsWith(".gz") ? file.substring(0, file.length() - 3) : file;
        if (!name.endsWith(".jsonl")) {
            try (content) {
                return records(decode(content.readAllBytes()), file, 0).iterator();
            }
        }
        return new Iterator<>() {
            private long number;
            private Iterator<ZendeskRecord> current = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    byte[] line = nextLine(content, file, number);
                    if (line == null) {
                        return false;
                    }
                    number++;
                    current = records(decode(line), file, number).iterator();
                }
                return true;
            }

            @Override
            public ZendeskRecord next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }

    /** Text decoded from bytes, and whether some bytes were not UTF-8. */
    record Decoded(String text, boolean replaced) {}

    static Decoded decode(byte[] bytes) {
        int start = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB
                && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        ByteBuffer buffer = ByteBuffer.wrap(bytes, start, bytes.length - start);
        try {
            return new Decoded(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(buffer).toString(), false);
        } catch (CharacterCodingException e) {
            return new Decoded(new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8), true);
        }
    }

    /**
     * @param doc one decoded document
     * @param file its file
     * @param line its line in a JSON-lines file, 0 for a whole-file document (records then number by position)
     * @return the tickets and comments it holds, or one reject
     */
    static List<ZendeskRecord> records(Decoded doc, String file, long line) {
        String text = doc.text().strip();
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return List.of(reject(Rejection.MALFORMED_JSON, null, e.getOriginalMessage(), doc, file, line));
        }
        if (node == null || !node.isObject()) {
            return List.of(reject(text.isEmpty() ? Rejection.BLANK_LINE : Rejection.NOT_AN_OBJECT, null,
                    "expected a JSON object: a ticket, or a page of tickets, ticket events or comments", doc, file,
                    line));
        }
        List<ZendeskRecord> out = new ArrayList<>();
        if (node.path(TICKETS).isArray()) {
            Map<String, JsonNode> metrics = new HashMap<>();
            for (JsonNode m : node.path(METRIC_SETS)) {
                String id = idOf(m, TICKET_ID);
                if (id != null) {
                    metrics.put(id, m);
                }
            }
            int position = 0;
            for (JsonNode ticket : node.get(TICKETS)) {
                position++;
                long at = line > 0 ? line : position;
                String id = idOf(ticket, ID);
                if (id == null) {
                    out.add(reject(Rejection.MISSING_FIELD, ID, "ticket without an id", ticket.toString(), doc,
                            file, at));
                    continue;
                }
                if (ticket.isObject() && !ticket.has(METRIC_SET) && metrics.containsKey(id)) {
                    ((ObjectNode) ticket).set(METRIC_SET, metrics.get(id));
                }
                out.add(ZendeskRecord.ticket(id, ticket.toString(), file, at, replaced(doc, ticket.toString())));
            }
        } else if (node.path(TICKET_EVENTS).isArray()) {
            int position = 0;
            for (JsonNode event : node.get(TICKET_EVENTS)) {
                position++;
                long at = line > 0 ? line : position;
                for (JsonNode child : event.path(CHILD_EVENTS)) {
                    if (!ZendeskTicketMapper.isComment(child)) {
                        continue;
                    }
                    String id = idOf(event, TICKET_ID);
                    if (id == null) {
                        out.add(reject(Rejection.MISSING_FIELD, TICKET_ID, "comment event without a ticket_id",
                                event.toString(), doc, file, at));
                        break;
                    }
                    ObjectNode comment = ((ObjectNode) child).deepCopy();
                    if (!comment.hasNonNull(CREATED_AT) && event.hasNonNull(CREATED_AT)) {
                        comment.set(CREATED_AT, event.get(CREATED_AT));
                    }
                    out.add(ZendeskRecord.comment(id, comment.toString(), file, at, replaced(doc,
                            comment.toString())));
                }
            }
        } else if (node.path(COMMENTS).isArray()) {
            String id = idOf(node, TICKET_ID);
            if (id == null) {
                Matcher m = COMMENTS_FILE.matcher(file);
                id = m.find() ? m.group(1) : null;
            }
            if (id == null) {
                return List.of(reject(Rejection.MISSING_FIELD, TICKET_ID, "a comments response names no ticket:"
                        + " add \"ticket_id\" to it or name its file comments-<ticket id>.json", doc, file, line));
            }
            int position = 0;
            for (JsonNode comment : node.get(COMMENTS)) {
                position++;
                out.add(ZendeskRecord.comment(id, comment.toString(), file, line > 0 ? line : position,
                        replaced(doc, comment.toString())));
            }
        } else if (idOf(node, ID) != null) {
            out.add(ZendeskRecord.ticket(idOf(node, ID), text, file, Math.max(line, 1), replaced(doc, text)));
        } else {
            out.add(reject(Rejection.UNKNOWN_DOCUMENT, null, "a JSON object with no \"tickets\", \"ticket_events\","
                    + " \"comments\" or ticket \"id\"", doc, file, line));
        }
        return out;
    }

    /** Ids are integers in the API; a string id is taken as it is. */
    static String idOf(JsonNode node, String field) {
        JsonNode v = node.path(field);
        if (v.isIntegralNumber() || v.isTextual() && !v.asText().isBlank()) {
            return v.asText().trim();
        }
        return null;
    }

    private static ZendeskRecord reject(String kind, String field, String detail, Decoded doc, String file,
            long line) {
        return reject(kind, field, detail, doc.text(), doc, file, Math.max(line, 1));
    }

    private static ZendeskRecord reject(String kind, String field, String detail, String raw, Decoded doc,
            String file, long line) {
        Rejection r = Rejection.of(kind, field, detail == null || detail.length() <= DETAIL_MAX ? detail
                : detail.substring(0, DETAIL_MAX) + "...");
        return ZendeskRecord.reject(r.reason(), LINE_BREAK.matcher(r.detail()).replaceAll(" "), raw, file, line,
                replaced(doc, raw));
    }

    private static int replaced(Decoded doc, String text) {
        if (!doc.replaced()) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\uFFFD') {
                n++;
            }
        }
        return n;
    }

    /** The next line's bytes without its terminator, or null at the end (and the stream is then closed). */
    private static byte[] nextLine(InputStream in, String file, long number) {
        try {
            ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                line.write(b);
            }
            if (b == -1 && line.size() == 0) {
                in.close();
                return null;
            }
            byte[] bytes = line.toByteArray();
            int end = bytes.length;
            return end > 0 && bytes[end - 1] == '\r' ? Arrays.copyOf(bytes, end - 1) : bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Zendesk export file " + file + " after line " + number
                    + ": " + e.getMessage(), e);
        }
    }
}
