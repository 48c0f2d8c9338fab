package io.cxml.training.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Readers for the public benchmark files under {@code datasets/}, without Spark: BANKING77 CSV
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
     * An xSID sentence with its key: the same key is the same sentence translated into every language.
     *
     * @param id the English source text ({@code # text-en}, the text itself for English, or for files without
     *     {@code text-en} the English sentence at the same position)
     * @param example the sentence, intent and language
     */
    public record XsidSentence(String id, LabelledText example) {}

    /**
     * @param dir the xSID folder with {@code <lang>.valid.conll} files
     * @return every sentence of every language, with its intent and language (from the file name)
     */
    public static List<LabelledText> xsid(Path dir) {
        return xsidSentences(dir).stream().map(XsidSentence::example).toList();
    }

    /**
     * @param dir the xSID folder with {@code <lang>.valid.conll} files
     * @return every sentence of every language with its id
     */
    public static List<XsidSentence> xsidSentences(Path dir) {
        List<XsidSentence> out = new ArrayList<>();
        List<String> english = new ArrayList<>();
        Path en = dir.resolve("en.valid.conll");
        if (Files.exists(en)) {
            for (String line : read(en).split("\n")) {
                if (line.startsWith("# text = ")) {
                    english.add(line.substring("# text = ".length()).trim());
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".conll")).sorted().toList()) {
                String language = file.getFileName().toString().split("\\.")[0];
                // A sentence is one block of '# key = value' comments and token rows, ended by a blank line; the
                // comment order differs between files (de-ba has '# intent' before '# text'), so a sentence is taken
                // when its block ends, not when its intent line is read.
                String text = null;
                String intent = null;
                String id = null;
                int position = 0;
                List<String> lines = new ArrayList<>(List.of(read(file).split("\n")));
                lines.add("");
                for (String line : lines) {
                    if (line.startsWith("# id = ") && line.contains("/")) {
                        // Norwegian holds several variants per sentence: "# id = <sentence>/<variant>".
                        position = Integer.parseInt(line.substring("# id = ".length()).split("/")[0].trim()) - 1;
                    } else if (line.startsWith("# text-en = ")) {
                        id = line.substring("# text-en = ".length()).trim();
                    } else if (line.startsWith("# text = ")) {
                        text = line.substring("# text = ".length()).trim();
                    } else if (line.startsWith("# intent = ")) {
                        intent = line.substring("# intent = ".length()).trim();
                    } else if (line.isBlank()) {
                        if (text != null && intent != null) {
                            if (id == null) {
                                id = "en".equals(language) || position >= english.size() ? text
                                        : english.get(position);
                            }
                            out.add(new XsidSentence(id, new LabelledText(text, intent, language, null)));
                            position++;
                            // (a "# id = N/k" line sets the position of the next sentence explicitly)
                        }
                        text = null;
                        intent = null;
                        id = null;
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
                    + ". Check the path (the repo's public data sets live in datasets/)", e);
        }
    }
}
