package io.cxml.jobs.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxml evaluate} on 200,000 rows with an 8 MB limit on what tasks may return to the driver: it passes only
 * because evaluation is scored and counted on the executors (one probability vector per row would be ~60 MB here).
 */
@Tag("slow")
class EvaluateAtScaleTest extends CliTestBase {
    @TempDir
    Path root;

    @Test
    void evaluatesTwoHundredThousandRowsWithoutRowsReachingTheDriver() throws Exception {
        List<LabelledText> all = PublicDatasets.banking77(
                LocalSpark.datasetsDir().resolve("banking77/banking_data/train.csv"));
        Path small = root.resolve("train.csv");
        Path big = root.resolve("eval.csv");
        write(small, all.subList(0, 3000), 3000);
        write(big, all, 200_000);
        String[] conf = {"--conf", "cxml.storage.root=" + root, "--conf", "cxml.spark.master=local[2]",
            "--conf", "spark.driver.maxResultSize=8m", "--conf", "cxml.training.intent.buckets=16384",
            "--conf", "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=2",
            "--conf", "cxml.training.baseline-features=4096"};

        assertThat(cxml(concat(conf, "train", "intent", "--data", small.toString()))).as(stderrText()).isZero();
        assertThat(cxml(concat(conf, "evaluate", "intent", "--data", big.toString()))).as(stderrText()).isZero();

        assertThat(stdoutText()).contains("intent@v1", "baseline").containsPattern("examples\\s+200,000");
    }

    private static void write(Path file, List<LabelledText> rows, int count) throws Exception {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("text,label,language\n");
            for (int i = 0; i < count; i++) {
                LabelledText e = rows.get(i % rows.size());
                w.write('"' + e.text().replace("\"", "\"\"") + "\"," + e.label() + ",en\n");
            }
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(b, 0, out, 0, b.length);
        System.arraycopy(a, 0, out, b.length, a.length);
        return out;
    }
}
