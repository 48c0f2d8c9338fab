package io.cxml.jobs.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.CliTestBase;
import io.cxml.jobs.Cxml;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cxml train intent --data`, `models list|promote|rollback`, `evaluate` as a user runs them. */
class ModelCommandsTest extends CliTestBase {
    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.spark.master=local[2]"));
        return super.cxml(all.toArray(new String[0]));
    }

    private Path labelledCsv() throws Exception {
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (LabelledText e : PublicDatasets.banking77(
                LocalSpark.datasetsDir().resolve("banking77/banking_data/train.csv"))) {
            List<LabelledText> list = byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>());
            if (list.size() < 45) {
                list.add(e);
            }
        }
        StringBuilder csv = new StringBuilder("text,label,language\n");
        byLabel.values().stream().limit(5).flatMap(List::stream).forEach(e -> csv.append('"')
                .append(e.text().replace("\"", "\"\"")).append("\",").append(e.label()).append(",en\n"));
        Path file = root.resolve("labelled.csv");
        Files.writeString(file, csv);
        return file;
    }

    private static String[] small(String... extra) {
        List<String> args = new ArrayList<>(List.of("--conf", "cxml.training.intent.buckets=16384", "--conf",
                "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=6", "--conf",
                "cxml.training.intent.batch-size=16", "--conf", "cxml.training.intent.learning-rate=0.02",
                "--conf", "cxml.training.baseline-features=4096"));
        args.addAll(List.of(extra));
        return args.toArray(new String[0]);
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void trainsPromotesRefusesAWorseModelAndEvaluates() throws Exception {
        Path csv = labelledCsv();

        assertThat(cxml(concat(new String[] {"train", "intent", "--data", csv.toString()}, small())))
                .as(stderrText()).isZero();
        assertThat(stdoutText()).contains("model intent@v1: accuracy").contains("baseline TF-IDF + LR")
                .contains("report: ");
        String report = stdoutText().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow()
                .substring("report: ".length());
        assertThat(Path.of(java.net.URI.create(report))).exists();

        assertThat(cxml("models", "promote", "intent@v1")).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("intent@champion is now v1");

        // A deliberately starved model: one epoch, 2-d embeddings, a tiny learning rate.
        assertThat(cxml(concat(new String[] {"train", "intent", "--data", csv.toString()}, small("--conf",
                "cxml.training.intent.epochs=1", "--conf", "cxml.training.intent.dim=2", "--conf",
                "cxml.training.intent.learning-rate=0.0001", "--conf", "cxml.training.baseline-features=0"))))
                .as(stderrText()).isZero();
        assertThat(cxml("models", "list", "intent")).isZero();
        assertThat(stdoutText()).containsPattern("intent\\s+v1\\s+intent\\s+champion")
                .containsPattern("intent\\s+v2\\s+intent\\s+\\s");
        assertThat(stdoutText().lines().filter(l -> l.contains(" v2 ")).findFirst().orElseThrow()).contains(" - ");

        assertThat(cxml("models", "promote", "intent@v2")).isEqualTo(Cxml.EXIT_FAILED);
        assertThat(stderrText()).contains("cxml models promote: error: Cannot promote intent@v2: quality gates failed");
        assertThat(stdoutText()).contains("FAIL").contains("accuracy drop vs champion v1");
        assertThat(cxml("models", "show", "intent@champion")).isZero();
        assertThat(stdoutText()).contains("\"version\" : \"v1\"");

        assertThat(cxml("evaluate", "intent", "--model", "intent@champion", "--data", csv.toString()))
                .as(stderrText()).isZero();
        String evaluation = stdoutText().lines().filter(l -> l.startsWith("report: ")).findFirst().orElseThrow()
                .substring("report: ".length());
        assertThat(Path.of(java.net.URI.create(evaluation))).exists();
        assertThat(Path.of(java.net.URI.create(evaluation)).resolveSibling("metrics.json")).exists();

        try (var classifier = new io.cxml.training.registry.ModelRegistry(
                io.cxml.storage.StorageLayout.of(root.toString()), new org.apache.hadoop.conf.Configuration())
                .load(io.cxml.training.registry.ModelRef.parse("intent@champion"), root.resolve("local-model"),
                        ai.djl.Device.cpu(), 2)) {
            var prediction = classifier.predict("I am still waiting on my card?");
            assertThat(prediction.topK()).hasSize(2);
            assertThat(classifier.spec().labels()).contains(prediction.label());
        }

        assertThat(cxml("models", "rollback", "intent")).isEqualTo(Cxml.EXIT_FAILED);
        assertThat(stderrText()).contains("Cannot roll back: there is no previous champion");
    }
}
