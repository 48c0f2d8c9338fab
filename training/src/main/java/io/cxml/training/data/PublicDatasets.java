package io.cxml.training.data;

import io.cxml.training.train.LabelledText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Readers for the public benchmark files under {@code ../shared/data}, without Spark: BANKING77 CSV
 * ({@code text,category}, RFC 4180 quoting) and xSID CoNLL ({@code # text = ...} / {@code # intent = ...}, one file
 * per language named {@code <lang>.valid.conll}).
 */
public final class PublicDatasets {
    private PublicDatasets() {}

    /**
     * @param csv a BANKING77 {@code train.csv}
     * @return one example per row, language {@code en}, no tenant
     */
    public static List<LabelledText> banking77(Path csv) {
        List<LabelledText> out = new ArrayList<>();
        List<List<String>> rows = Csv.parse(read(csv));
        for (int i = 1; i < rows.size(); i++) {
            List<String> row = rows.get(i);
            if (row.size() < 2) {
                continue;
            }
            out.add(new LabelledText(row.get(0), row.get(1).trim(), "en", null));
        }
        return out;
    }

    /**
     * @param dir the xSID folder with {@code <lang>.valid.conll} files
     * @return every sentence of every language, with its intent and language (from the file name)
     */
    public static List<LabelledText> xsid(Path dir) {
        List<LabelledText> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".conll")).sorted().toList()) {
                String language = file.getFileName().toString().split("\\.")[0];
                String text = null;
                for (String line : read(file).split("\n")) {
                    if (line.startsWith("# text = ")) {
                        text = line.substring("# text = ".length()).trim();
                    } else if (line.startsWith("# intent = ") && text != null) {
                        out.add(new LabelledText(text, line.substring("# intent = ".length()).trim(), language,
                                null));
                        text = null;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage()
                    + ". Check the path (public data lives in ../shared/data)", e);
        }
    }
}
