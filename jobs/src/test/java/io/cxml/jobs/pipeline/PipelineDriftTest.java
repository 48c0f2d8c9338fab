package io.cxml.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipeline --sample --scenario ...} on generated data with every planted drift: the monitor names the planted
 * slices (language mix overall and per tenant, the new intent in the English slice, the team reorganisation in its
 * tenant), the challenger is trained, gated on the frozen set and promoted, the drifted days are re-scored by it,
 * and the check against the new champion no longer alerts on what was planted.
 */
@Tag("slow")
class PipelineDriftTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    private JsonNode records(String job, int index) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            List<Path> sorted = files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList(); // not the .crc files
            return JSON.readTree(sorted.get(index < 0 ? sorted.size() + index : index).toFile());
        }
    }

    private static List<String> worst(JsonNode drift) {
        List<String> out = new ArrayList<>();
        drift.at("/details/worst").forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void driftIsFoundRetrainedAwayAndTheTicketsRescored() throws Exception {
        String[] args = {"pipeline", "--sample", "--tickets", "7000", "--accounts", "5", "--days", "14",
            "--scenario", "language-shift:2026-01-10", "--scenario", "new-intent:2026-01-10", "--scenario",
            "team-reorg:2026-01-10", "--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
            "--conf", "cxml.spark.master=local[2]", "--conf", "cxml.training.baseline-features=0",
            "--conf", "cxml.training.intent.buckets=65536", "--conf", "cxml.training.intent.dim=32",
            "--conf", "cxml.training.intent.epochs=4", "--conf", "cxml.monitor.drift.min-slice-tickets=100",
            "--conf", "cxml.monitor.drift.worst=60", "--conf", "cxml.models.gates.min-accuracy=0",
            "--conf", "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0",
            // A sample this small has ~100 evaluation rows in its smaller languages: a 5-point per-language drop is
            // within noise there (a first run refused the challenger on tr, 7.5 points on 106 rows).
            "--conf", "cxml.models.gates.max-language-accuracy-drop=0.1",
            // Drift and retraining are under test here, not label noise (AgentLabelsTest, ExportLabelsTest): agents
            // label every ticket, rightly. With the default 70% coverage and 8% errors a model this small learns the
            // new intent too weakly to clear the English unknown-rate alert, and its macro-F1 over ~80 intents on
            // ~1,000 frozen rows moves 11 points between two runs.
            "--conf", "cxml.sample.labels.coverage=1.0", "--conf", "cxml.sample.labels.error-rate=0",
            // Even so, macro-F1 over ~80 intents on ~550 recent rows (a handful per intent) moves by 5 points between
            // runs of a model this small: CI saw a 0.050 drop while accuracy rose 1.3 points. Accuracy keeps its gate.
            "--conf", "cxml.models.gates.max-macro-f1-drop=0.1"};
        long start = System.nanoTime();
        assertThat(cxml(args)).as(stdoutText() + stderrText()).isZero();
        System.err.printf("pipeline with drift scenarios: %.0f s%n", (System.nanoTime() - start) / 1e9);
        String console = out.toString(StandardCharsets.UTF_8);
        assertThat(console).contains("pipeline succeeded");

        JsonNode sample = records("generate-sample", -1).at("/details/scenarios");
        String reorgTenant = sample.at("/team-reorg/tenant").asText();
        JsonNode before = records("monitor-drift", 0);
        List<String> found = worst(before);
        assertThat(before.at("/details/verdict").asText()).as(found.toString()).isEqualTo("ALERT");
        assertThat(found).as("language mix").anyMatch(l -> l.startsWith("ALERT") && l.contains(" language ")
                && l.contains("overall"));
        assertThat(found).as("new intent in English").anyMatch(l -> l.startsWith("ALERT") && l.contains("language=en")
                && (l.contains(" unknown ") || l.contains(" confidence ") || l.contains(" predicted ")));
        assertThat(found).as("team reorganisation in " + reorgTenant).anyMatch(l -> l.startsWith("ALERT")
                && l.contains("tenant=" + reorgTenant) && l.contains(" team "));

        JsonNode retrain = records("retrain-intent", -1);
        assertThat(retrain.at("/details/action").asText()).isEqualTo("promoted");
        assertThat(retrain.at("/details/drift_run").asText()).isEqualTo(before.at("/runId").asText());
        String champion = retrain.at("/details/champion_after").asText();
        assertThat(champion).isEqualTo(retrain.at("/details/challenger").asText()).isNotEqualTo("intent@v1");
        assertThat(retrain.at("/details/evaluation/eval_rows").asLong())
                .isEqualTo(retrain.at("/details/evaluation/champion_eval_rows").asLong()).isPositive();

        List<Row> drifted = LocalSpark.get().read().parquet(root.resolve("scored/tickets").toString())
                .where("created_at >= TIMESTAMP'2026-01-10 00:00:00'").select("intent_model").distinct()
                .collectAsList();
        assertThat(drifted).extracting(r -> r.getString(0)).as("re-scored by the new champion")
                .containsExactly(champion);

        JsonNode after = records("monitor-drift", 1);
        List<String> afterFound = worst(after);
        assertThat(afterFound).as("language mix learnt").noneMatch(l -> l.startsWith("ALERT")
                && l.contains(" language ") && l.contains("overall"));
        assertThat(afterFound).as("new intent learnt").noneMatch(l -> l.startsWith("ALERT")
                && l.contains("language=en") && l.contains(" unknown "));
        assertThat(after.at("/counts/alerts").asLong()).isLessThan(before.at("/counts/alerts").asLong());
        JsonNode quality = records("monitor-quality", -1);
        List<Row> realised = LocalSpark.get().read().parquet(quality.at("/details/table").asText())
                .where("slice = 'overall'").orderBy("model").collectAsList();
        assertThat(realised).extracting(r -> r.getString(r.fieldIndex("model")))
                .containsExactlyInAnyOrder("intent@v1", champion);
        for (Row r : realised) {
            assertThat(r.getLong(r.fieldIndex("intent_labelled"))).isPositive();
            assertThat(r.getDouble(r.fieldIndex("intent_agreement"))).isBetween(0.0, 1.0);
            assertThat(r.isNullAt(r.fieldIndex("training_accuracy"))).isFalse();
        }
        System.err.println("drift before: " + found.subList(0, Math.min(8, found.size())));
        System.err.println("drift after:  " + afterFound.subList(0, Math.min(8, afterFound.size())));
    }
}
