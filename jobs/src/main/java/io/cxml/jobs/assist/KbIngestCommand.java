package io.cxml.jobs.assist;

import io.cxml.assist.kb.KnowledgeBaseArticles;
import io.cxml.assist.kb.KnowledgeBaseIngestor;
import io.cxml.ingest.RawExportFiles;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.EmptyWindow;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import java.time.LocalDate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml kb-ingest}: knowledge-base export window -> curated/kb_articles + quarantine + run record. */
@Command(name = "kb-ingest", mixinStandardHelpOptions = true,
        description = {"Validate and deduplicate a window of the knowledge-base export (raw/kb/dt=YYYY-MM-DD/*.jsonl: "
                + "article_id, account_id, locale, title, body, updated_at, archived) into curated/kb_articles, "
                + "every version kept (Parquet, by day of updated_at). Rejected lines go to quarantine/kb_articles "
                + "with file, line and reason. Re-running a window gives the same table."})
public final class KbIngestCommand extends CxmlCommand {
    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First export day (YYYY-MM-DD).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "First export day left out: the window is [--from, "
            + "--to), as every window (default: the day after --from, i.e. one day).")
    LocalDate to;

    @Override
    public Integer call() {
        run(settings(), from, to == null ? from.plusDays(1) : to);
        return 0;
    }

    /**
     * @param config the settings
     * @param from first export day
     * @param to first export day left out ({@code [from, to)})
     * @return the run record
     * @throws ConfigError when the window is empty
     * @throws EmptyWindow when the export has no file in the window
     */
    public static RunRecord run(Settings config, LocalDate from, LocalDate to) {
        LocalDate last = DayWindow.lastDay("ingest the knowledge base", from, to);
        return JobRun.execute(config, "kb-ingest", System.out, (spark, layout, record) -> {
            String raw = layout.resolve(KnowledgeBaseArticles.RAW);
            if (!RawExportFiles.any(raw, from, last, spark.sparkContext().hadoopConfiguration())) {
                throw new EmptyWindow("Cannot ingest the knowledge base [" + from + ", " + to + "): no *.jsonl[.gz] "
                        + "files under " + raw + "/dt=YYYY-MM-DD for those days. Check --from/--to and "
                        + "cxml.storage.root (docs/assist.md)");
            }
            record.window.put("from", from.toString());
            record.window.put("to", to.toString());
            new KnowledgeBaseIngestor(spark, layout, config.assist().maxTextChars()).run(from, last, record);
        });
    }
}
