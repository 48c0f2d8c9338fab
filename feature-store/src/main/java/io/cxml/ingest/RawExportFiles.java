package io.cxml.ingest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and reads the files of a date-partitioned JSON-lines export ({@code <dir>/dt=YYYY-MM-DD/*.jsonl[.gz]}). Lines
 * keep their 1-based number so a quarantined record can be traced back to its exact place in the source.
 */
public final class RawExportFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RawExportFiles.class);
    private static final Pattern DT = Pattern.compile("(?:^|/)dt=(\\d{4}-\\d{2}-\\d{2})(?:/|$)");

    private RawExportFiles() {}

    /**
     * Lists the export files of a window, sorted by path.
     *
     * @param exportDir the export directory (the parent of the {@code dt=} folders)
     * @param from first date, inclusive
     * @param to last date, inclusive
     * @param hadoop Hadoop configuration
     * @return the files, never empty
     * @throws IllegalArgumentException when the window holds no file at all
     */
    public static List<String> list(String exportDir, LocalDate from, LocalDate to, Configuration hadoop) {
        List<String> files = listOrEmpty(exportDir, from, to, hadoop);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Cannot ingest " + from + ".." + to + ": no *.jsonl[.gz] files under "
                    + exportDir + "/dt=YYYY-MM-DD for those dates. Check --from/--to and cxml.storage.root,"
                    + " or create sample data with `cxml generate-sample`");
        }
        return files;
    }

    /**
     * @param exportDir the export root
     * @param from first date, inclusive
     * @param to last date, inclusive
     * @param hadoop Hadoop configuration
     * @return whether the window holds any export file
     */
    public static boolean any(String exportDir, LocalDate from, LocalDate to, Configuration hadoop) {
        return !listOrEmpty(exportDir, from, to, hadoop).isEmpty();
    }

    private static List<String> listOrEmpty(String exportDir, LocalDate from, LocalDate to, Configuration hadoop) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("Cannot read window " + from + ".." + to + ": --to is before --from");
        }
        List<String> files = new ArrayList<>();
        List<LocalDate> missing = new ArrayList<>();
        try {
            for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
                Path dir = new Path(exportDir, "dt=" + d);
                FileSystem fs = dir.getFileSystem(hadoop);
                if (!fs.exists(dir)) {
                    missing.add(d);
                    continue;
                }
                for (FileStatus f : fs.listStatus(dir)) {
                    String name = f.getPath().getName();
                    if (f.isFile() && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz")
                            || name.endsWith(".json") || name.endsWith(".json.gz"))) {
                        files.add(f.getPath().toString());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + exportDir + ": " + e.getMessage(), e);
        }
        if (!missing.isEmpty() && !files.isEmpty()) {
            LOG.warn("No export partition for {} of {} day(s) in the window: {}", missing.size(),
                    from.datesUntil(to.plusDays(1)).count(), missing.size() > 10 ? missing.subList(0, 10) + "..."
                            : missing);
        }
        files.sort(String::compareTo);
        return files;
    }

    /**
     * @param path a file path
     * @return the {@code dt=} date in the path, or null
     */
    public static LocalDate partitionDate(String path) {
        Matcher m = DT.matcher(path);
        LocalDate found = null;
        while (m.find()) {
            found = LocalDate.parse(m.group(1));
        }
        return found;
    }

    /** A line and its 1-based position in its file. */
    public record NumberedLine(long number, String text) {}

    /**
     * Opens a file (gunzipping {@code .gz}) as a lazy iterator of numbered lines, so a task holds one line at a time
     * whatever the file size. The file is closed when the iterator is exhausted.
     *
     * @param in the raw file content
     * @param path the file path, to detect compression
     * @return the lines
     * @throws IOException when the file cannot be opened (a corrupt gzip header, say)
     */
    public static Iterator<NumberedLine> lines(InputStream in, String path) throws IOException {
        InputStream content = path.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        BufferedReader reader = new BufferedReader(new InputStreamReader(content, StandardCharsets.UTF_8), 1 << 16);
        return new Iterator<>() {
            private long number;
            private String next = advance();

            private String advance() {
                try {
                    String line = reader.readLine();
                    if (line == null) {
                        reader.close();
                    }
                    return line;
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot read raw export file " + path + " after line " + number
                            + ": " + e.getMessage(), e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public NumberedLine next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                NumberedLine line = new NumberedLine(++number, next);
                next = advance();
                return line;
            }
        };
    }
}
