package io.cxml.jobs.retrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cxml retrain intent}: a worse challenger is refused and the champion stays, a better one is promoted, both
 * measured with the champion on the same frozen evaluation set (same rows, same fingerprint, asserted from the run
 * records), and {@code --if-drifted} does nothing without an unanswered drift alert.
 */
@Tag("slow")
class RetrainCommandTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] NO_FLOORS = {"--conf", "cxml.models.gates.min-accuracy=0", "--conf",
        "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0"};
    private static final String[] FAST = {"--conf", "cxml.training.baseline-features=0"};
    private static final String[] MODERATE = {"--conf", "cxml.training.intent.buckets=16384", "--conf",
        "cxml.training.intent.dim=16", "--conf", "cxml.training.intent.epochs=2"};
    private static final String[] WORSE = {"--conf", "cxml.training.intent.buckets=64", "--conf",
        "cxml.training.intent.dim=2", "--conf", "cxml.training.intent.epochs=1", "--conf",
        "cxml.training.intent.char-min-n=5", "--conf", "cxml.training.intent.char-max-n=5"};
    private static final String[] BETTER = {"--conf", "cxml.training.intent.buckets=65536", "--conf",
        "cxml.training.intent.dim=48", "--conf", "cxml.training.intent.epochs=6"};

    @TempDir
    Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4",
                "--conf", "cxml.spark.master=local[2]"));
        all.addAll(List.of(FAST));
        return super.cxml(all.toArray(new String[0]));
    }

    private static String[] with(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    private JsonNode last(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.sorted().reduce((a, b) -> b).orElseThrow().toFile());
        }
    }

    @Test
    void gatesOnTheSameEvaluationSetRefuseWorseAndPromoteBetter() throws Exception {
        assertThat(cxml("generate-sample", "--tickets", "2500", "--accounts", "4", "--days", "10")).isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-01-11")).as(stderrText()).isZero();
        assertThat(cxml(with(MODERATE, "train", "intent", "--from", "2026-01-01", "--to", "2026-01-07")))
                .as(stderrText()).isZero();
        assertThat(cxml(with(NO_FLOORS, "models", "promote", "intent@v1"))).as(stderrText()).isZero();

        // Nothing to answer: no drift check has run.
        assertThat(cxml("retrain", "intent", "--if-drifted", "--from", "2026-01-01", "--to", "2026-01-11"))
                .as(stderrText()).isZero();
        assertThat(last("retrain-intent").at("/details/action").asText()).isEqualTo("skipped");
        assertThat(stdoutText()).contains("nothing to do (no drift check has run)");
        assertThat(Files.exists(root.resolve("models/intent/v2"))).isFalse();

        // A worse challenger: refused, the champion stays, the challenger alias points at it.
        assertThat(cxml(with(with(WORSE, NO_FLOORS), "retrain", "intent", "--from", "2026-01-01", "--to",
                "2026-01-11"))).as(stdoutText() + stderrText()).isZero();
        JsonNode refused = last("retrain-intent");
        assertThat(refused.at("/details/action").asText()).as(stdoutText()).isEqualTo("refused");
        assertThat(refused.at("/details/challenger").asText()).isEqualTo("intent@v2");
        assertThat(refused.at("/details/champion_after").asText()).isEqualTo("intent@v1");
        assertThat(stdoutText()).contains("FAIL").contains("intent/e1:overall");
        JsonNode firstEval = refused.at("/details/evaluation");
        long rows = refused.at("/details/eval_set/rows").asLong();
        assertThat(rows).isPositive();
        assertThat(firstEval.at("/eval_rows").asLong()).isEqualTo(rows);
        assertThat(firstEval.at("/champion_eval_rows").asLong()).as("same rows").isEqualTo(rows);
        assertThat(firstEval.at("/champion").asText()).isEqualTo("intent@v1");
        assertThat(firstEval.at("/challenger_eval_accuracy").asDouble())
                .isLessThan(firstEval.at("/champion_eval_accuracy").asDouble() - 0.02);
        for (String step : List.of("eval-set", "train", "evaluate", "refuse")) {
            assertThat(last("retrain-intent-" + step).at("/status").asText()).as(step).isEqualTo("succeeded");
        }
        JsonNode set = JSON.readTree(root.resolve("models/intent/eval-sets/e1/set.json").toFile());
        assertThat(set.at("/rows").asLong()).isEqualTo(rows);

        // A better challenger: measured on the same frozen set (same id, rows and fingerprint), promoted.
        assertThat(cxml(with(with(BETTER, NO_FLOORS), "retrain", "intent", "--from", "2026-01-01", "--to",
                "2026-01-11"))).as(stdoutText() + stderrText()).isZero();
        JsonNode promoted = last("retrain-intent");
        assertThat(promoted.at("/details/action").asText()).as(stdoutText()).isEqualTo("promoted");
        assertThat(promoted.at("/details/challenger").asText()).isEqualTo("intent@v3");
        assertThat(promoted.at("/details/champion_after").asText()).isEqualTo("intent@v3");
        JsonNode secondEval = promoted.at("/details/evaluation");
        assertThat(secondEval.at("/eval_set").asText()).isEqualTo("intent/e1");
        assertThat(secondEval.at("/eval_set_fingerprint").asLong()).isEqualTo(firstEval.at("/eval_set_fingerprint")
                .asLong());
        assertThat(secondEval.at("/eval_rows").asLong()).isEqualTo(rows);
        assertThat(secondEval.at("/champion_eval_rows").asLong()).isEqualTo(rows);
        assertThat(secondEval.at("/champion").asText()).isEqualTo("intent@v1");
        assertThat(last("retrain-intent-promote").at("/status").asText()).isEqualTo("succeeded");
        assertThat(Files.exists(root.resolve("models/intent/v3/profile/reference.json")))
                .as("the new champion has its reference profile").isTrue();
        assertThat(Files.list(root.resolve("models/intent/eval-sets")).count()).as("still one set").isEqualTo(1);
    }
}
