package io.cxml.jobs.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.CliTestBase;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cxml train intent` with a pretrained encoder (the tiny XLM-R fixture) and the hashed model on all rows but validation. */
class TrainEncoderCommandTest extends CliTestBase {
    private static final Path TINY_XLMR =
            Path.of("..", "model-runtime", "src", "test", "resources", "io", "cxml", "runtime", "text", "tiny-xlmr");

    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.spark.master=local[2]"));
        return super.cxml(all.toArray(new String[0]));
    }

    @Test
    void fineTunesAPretrainedEncoderAndRegistersIt() throws Exception {
        Path file = labelledCsv();

        assertThat(cxml("train", "intent", "--data", file.toString(), "--conf", "cxml.training.encoder.kind=pretrained",
                "--conf", "cxml.training.encoder.path=" + TINY_XLMR.toAbsolutePath(), "--conf",
                "cxml.training.encoder.epochs=4", "--conf", "cxml.training.encoder.batch-size=16", "--conf",
                "cxml.training.encoder.learning-rate=0.003", "--conf", "cxml.training.encoder.max-seq-length=48",
                "--conf", "cxml.training.baseline-features=0")).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("model intent@v1: accuracy");
        Path version = root.resolve("models/intent/v1");
        assertThat(version.resolve("model/tokenizer.json")).exists();
        assertThat(TextClassifier.readSpec(version.resolve("model")).encoder().params()).containsKey("baseChecksum");
        assertThat(Files.readString(version.resolve("model.json"))).contains("\"encoder\" : \"pretrained\"");
    }

    @Test
    void theHashedModelTrainsOnAllRowsButTheValidationCarve() throws Exception {
        Path file = labelledCsv();
        assertThat(cxml("train", "intent", "--data", file.toString(), "--conf", "cxml.training.test-fraction=0",
                "--conf", "cxml.training.intent.buckets=16384", "--conf", "cxml.training.intent.dim=16", "--conf",
                "cxml.training.intent.epochs=2", "--conf",
                "cxml.training.baseline-features=0")).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("model intent@v1: accuracy");
        assertThat(Files.readString(root.resolve("models/intent/v1/model.json"))).doesNotContain("\"encoder\"");
    }

    private Path labelledCsv() throws Exception {
        Map<String, List<LabelledText>> byLabel = new LinkedHashMap<>();
        for (LabelledText e : PublicDatasets.banking77(
                LocalSpark.datasetsDir().resolve("banking77/banking_data/train.csv"))) {
            List<LabelledText> list = byLabel.computeIfAbsent(e.label(), k -> new ArrayList<>());
            if (list.size() < 40) {
                list.add(e);
            }
        }
        StringBuilder csv = new StringBuilder("text,label,language\n");
        byLabel.values().stream().limit(4).flatMap(List::stream).forEach(e -> csv.append('"')
                .append(e.text().replace("\"", "\"\"")).append("\",").append(e.label()).append(",en\n"));
        Path file = root.resolve("labelled.csv");
        Files.writeString(file, csv);
        return file;
    }

    @Test
    void anEmptyEncoderPathIsNamed() {
        assertThat(cxml("train", "intent", "--data", root.resolve("x.csv").toString(), "--conf",
                "cxml.training.encoder.kind=pretrained")).isEqualTo(2);
        assertThat(stderrText()).contains("cxml.training.encoder.path is empty");
    }
}
