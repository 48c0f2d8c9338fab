package io.cxml.zendesk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.ingest.IngestOptions;
import io.cxml.ingest.InteractionIngestor;
import io.cxml.ingest.ParsedRows;
import io.cxml.ingest.RawExportFiles;
import io.cxml.ingest.RawInteractionParser;
import io.cxml.ingest.Rejection;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SerializableWritable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests a window of the Zendesk export ({@code raw/zendesk/dt=YYYY-MM-DD/}, see {@link ZendeskExportReader}) into
 * {@code curated/interactions}: every file is read on an executor, the tickets and comments are grouped by ticket id,
 * each ticket version is mapped onto the raw contract ({@link ZendeskTicketMapper}) and validated by the contract's
 * parser, and the {@link InteractionIngestor} quarantines, deduplicates and rewrites partitions exactly as for the
 * file export. Ticket counts reconcile there; comment counts reconcile here:
 * {@code comments_read = public + private_notes + side_conversations + attachment_only + duplicate_comments
 * + orphan_comments}.
 */
public final class ZendeskIngest {
    private static final Logger LOG = LoggerFactory.getLogger(ZendeskIngest.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Run-record counts of the comments and the text, besides the ingest's own. */
    public static final String COMMENTS_READ = "comments_read";
    public static final String PUBLIC_COMMENTS = "public_comments";
    public static final String PRIVATE_NOTES = "private_notes";
    public static final String SIDE_CONVERSATIONS = "side_conversations";
    public static final String ATTACHMENT_ONLY = "attachment_only_comments";
    public static final String DUPLICATE_COMMENTS = "duplicate_comments";
    /** Comments of tickets that have no version in the window. */
    public static final String ORPHAN_COMMENTS = "orphan_comments";
    /** Ticket versions whose only message is their description (the export holds none of their comments). */
    public static final String DESCRIPTION_ONLY = "tickets_from_description";
    /** Records (tickets, comments, rejects) in which bytes that were not UTF-8 were replaced, and how many chars. */
    public static final String NON_UTF8_RECORDS = "non_utf8_records";
    public static final String NON_UTF8_CHARS = "non_utf8_replaced_chars";

    private final SparkSession spark;
    private final StorageLayout layout;
    private final IngestOptions options;

    /**
     * @param spark the session
     * @param layout where the export, the curated table and the quarantine live
     * @param options ingest settings
     */
    public ZendeskIngest(SparkSession spark, StorageLayout layout, IngestOptions options) {
        this.spark = spark;
        this.layout = layout;
        this.options = options;
    }

    /**
     * Ingests the window; fills the record's counts and details.
     *
     * @param from first export date, inclusive
     * @param to last export date, inclusive
     * @param record the run record to fill
     */
    public void run(LocalDate from, LocalDate to, RunRecord record) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<String> files = RawExportFiles.list(layout.rawZendesk(), from, to, hadoop);
        record.details.put("source", "zendesk");
        record.details.put("files", files.size());
        LOG.info("Ingesting {} Zendesk export file(s) of {}..{} from {}", files.size(), from, to,
                layout.rawZendesk());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        SerializableWritable<Configuration> conf = new SerializableWritable<>(hadoop);
        int slices = Math.max(1, Math.min(files.size(), jsc.defaultParallelism() * 4));
        JavaRDD<ZendeskRecord> records = jsc.parallelize(files, slices)
                .flatMap(file -> readFile(file, conf.value()))
                .persist(StorageLevel.MEMORY_AND_DISK());
        IngestOptions opts = options;
        JavaRDD<TicketOutcome> tickets = records.filter(r -> r.kind() != ZendeskRecord.Kind.REJECT)
                .groupBy(ZendeskRecord::ticketId)
                .map(group -> convert(group._2(), opts))
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            JavaRDD<Row> rejects = records.filter(r -> r.kind() == ZendeskRecord.Kind.REJECT)
                    .map(r -> ParsedRows.rejected(new Rejection(r.reason(), r.detail()), r.json(),
                            opts.quarantineRecordChars(), r.file(), r.line(), RawExportFiles.partitionDate(r.file())));
            JavaRDD<Row> rows = rejects.union(tickets.flatMap(t -> t.rows().iterator()));
            Map<String, Long> counts = tickets.map(TicketOutcome::counts)
                    .fold(new TreeMap<>(), ZendeskIngest::merged);
            counts.putAll(records.filter(r -> r.replacedChars() > 0)
                    .map(r -> Map.of(NON_UTF8_RECORDS, 1L, NON_UTF8_CHARS, (long) r.replacedChars()))
                    .fold(new TreeMap<>(Map.of(NON_UTF8_RECORDS, 0L, NON_UTF8_CHARS, 0L)), ZendeskIngest::merged));
            Map<String, Long> zendesk = ordered(counts);
            reconcileComments(zendesk);
            zendesk.forEach(record::count);
            LOG.info("Zendesk comments and text: {}", zendesk);
            new InteractionIngestor(spark, layout, options)
                    .ingestParsed(spark.createDataFrame(rows, ParsedRows.SCHEMA), from, to, record);
        } finally {
            tickets.unpersist(false);
            records.unpersist(false);
        }
    }

    private static Iterator<ZendeskRecord> readFile(String file, Configuration hadoop) throws IOException {
        Path path = new Path(file);
        InputStream in = path.getFileSystem(hadoop).open(path);
        try {
            return ZendeskExportReader.read(in, file);
        } catch (IOException e) {
            in.close();
            throw new UncheckedIOException("Cannot read Zendesk export file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The rows of one ticket's versions and the counts of its comments. */
    record TicketOutcome(List<Row> rows, Map<String, Long> counts) implements Serializable {}

    /** Runs on executors: one ticket's versions and comments in, its parsed rows out. */
    static TicketOutcome convert(Iterable<ZendeskRecord> group, IngestOptions opts) {
        List<ZendeskRecord> versions = new ArrayList<>();
        List<ZendeskRecord> commentRecords = new ArrayList<>();
        for (ZendeskRecord r : group) {
            (r.kind() == ZendeskRecord.Kind.TICKET ? versions : commentRecords).add(r);
        }
        Comparator<ZendeskRecord> byPlace = Comparator.comparing(ZendeskRecord::file)
                .thenComparingLong(ZendeskRecord::line).thenComparing(ZendeskRecord::json);
        commentRecords.sort(byPlace);
        Map<String, Long> counts = new TreeMap<>();
        counts.put(COMMENTS_READ, (long) commentRecords.size());
        // the same comment can come from the comments endpoint and the events export, or from two overlapping pages
        Map<String, JsonNode> comments = new LinkedHashMap<>();
        for (ZendeskRecord r : commentRecords) {
            JsonNode c = parse(r.json());
            comments.putIfAbsent(c.path("id").asText(r.file() + ":" + r.line() + ":" + r.json()), c);
        }
        counts.put(DUPLICATE_COMMENTS, (long) (commentRecords.size() - comments.size()));
        List<Row> rows = new ArrayList<>();
        if (versions.isEmpty()) {
            counts.put(ORPHAN_COMMENTS, (long) comments.size());
            return new TicketOutcome(rows, counts);
        }
        List<JsonNode> publicComments = new ArrayList<>();
        for (JsonNode c : comments.values()) {
            ZendeskTicketMapper.CommentClass kind = ZendeskTicketMapper.classify(c);
            counts.merge(countName(kind), 1L, Long::sum);
            if (kind == ZendeskTicketMapper.CommentClass.PUBLIC) {
                publicComments.add(c);
            }
        }
        publicComments.sort(ZendeskTicketMapper.CONVERSATION_ORDER);

        List<JsonNode> tickets = new ArrayList<>();
        for (ZendeskRecord v : versions) {
            tickets.add(parse(v.json()));
        }
        // a ticket deleted or merged away by its latest version in the window takes its earlier versions with it
        JsonNode latest = tickets.stream().max(Comparator.comparing(
                (JsonNode t) -> ZendeskTicketMapper.instant(t.path("updated_at").asText("")),
                Comparator.nullsFirst(Comparator.naturalOrder()))).orElseThrow();
        Rejection skip = ZendeskTicketMapper.skipReason(latest);
        RawInteractionParser parser = new RawInteractionParser(opts.maxTextChars());
        for (int i = 0; i < versions.size(); i++) {
            ZendeskRecord v = versions.get(i);
            LocalDate dt = RawExportFiles.partitionDate(v.file());
            if (skip != null) {
                rows.add(ParsedRows.rejected(skip, v.json(), opts.quarantineRecordChars(), v.file(), v.line(), dt));
                continue;
            }
            if (comments.isEmpty()) {
                counts.merge(DESCRIPTION_ONLY, 1L, Long::sum);
            }
            String raw = ZendeskTicketMapper.toRaw(tickets.get(i), publicComments, !comments.isEmpty()).toString();
            RawInteractionParser.Result r = parser.parse(raw);
            rows.add(r.isValid() ? ParsedRows.accepted(r.interaction(), v.file(), v.line(), dt)
                    : ParsedRows.rejected(r.rejection(), v.json(), opts.quarantineRecordChars(), v.file(), v.line(),
                            dt));
        }
        return new TicketOutcome(rows, counts);
    }

    private static String countName(ZendeskTicketMapper.CommentClass kind) {
        return switch (kind) {
            case PUBLIC -> PUBLIC_COMMENTS;
            case PRIVATE_NOTE -> PRIVATE_NOTES;
            case SIDE_CONVERSATION -> SIDE_CONVERSATIONS;
            case ATTACHMENT_ONLY -> ATTACHMENT_ONLY;
        };
    }

    private static void reconcileComments(Map<String, Long> c) {
        long parts = c.get(PUBLIC_COMMENTS) + c.get(PRIVATE_NOTES) + c.get(SIDE_CONVERSATIONS) + c.get(ATTACHMENT_ONLY)
                + c.get(DUPLICATE_COMMENTS) + c.get(ORPHAN_COMMENTS);
        if (parts != c.get(COMMENTS_READ)) {
            throw new IllegalStateException("Cannot reconcile Zendesk comment counts: " + c);
        }
    }

    /** Every count present (0 when nothing was seen), in a fixed order for the run record. */
    private static Map<String, Long> ordered(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String name : List.of(COMMENTS_READ, PUBLIC_COMMENTS, PRIVATE_NOTES, SIDE_CONVERSATIONS,
                ATTACHMENT_ONLY, DUPLICATE_COMMENTS, ORPHAN_COMMENTS, DESCRIPTION_ONLY, NON_UTF8_RECORDS,
                NON_UTF8_CHARS)) {
            out.put(name, counts.getOrDefault(name, 0L));
        }
        return out;
    }

    private static Map<String, Long> merged(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    /** The reader wrote this JSON from a parsed node, so it parses. */
    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot re-read a Zendesk record the reader wrote: " + e.getMessage(), e);
        }
    }
}
