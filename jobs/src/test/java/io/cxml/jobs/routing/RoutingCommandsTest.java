package io.cxml.jobs.routing;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Per-tenant routing as a user runs it, on generated data (whose tenants have a routing policy that changes part-way
 * and retires a team): sample -> ingest -> features -> intent -> {@code train routing} -> promote (gates) ->
 * {@code score}, and {@code evaluate routing} on a file with an unseen tenant.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingCommandsTest extends CliTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DAYS = 90;
    private Path root;

    @Override
    protected int cxml(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        List<String> defaults = List.of("cxml.storage.root=" + root, "spark.sql.shuffle.partitions=4",
                "cxml.spark.master=local[2]", "cxml.routing.lookback-days=20", "cxml.routing.tenants-per-task=8",
                "cxml.routing.epochs=25", "cxml.routing.min-tenant-examples=200");
        for (String d : defaults) { // a --conf given by the test wins over the default
            String key = d.substring(0, d.indexOf('=') + 1);
            if (all.stream().noneMatch(a -> a.startsWith(key))) {
                all.addAll(List.of("--conf", d));
            }
        }
        return super.cxml(all.toArray(new String[0]));
    }

    @BeforeAll
    void sampleWithAnIntentModel() throws Exception {
        root = Files.createTempDirectory("cxml-routing-test");
        assertThat(cxml("generate-sample", "--tickets", "9000", "--accounts", "24", "--days", String.valueOf(DAYS)))
                .isZero();
        assertThat(cxml("ingest", "--from", "2026-01-01", "--to", "2026-04-01")).as(stderrText()).isZero();
        assertThat(cxml("features", "build", "--from", "2026-01-01", "--to", "2026-04-01")).as(stderrText())
                .isZero();
        assertThat(cxml("train", "intent", "--conf", "cxml.training.intent.buckets=16384", "--conf",
                "cxml.training.intent.dim=32", "--conf", "cxml.training.intent.epochs=4", "--conf",
                "cxml.training.baseline-features=0")).as(stderrText()).isZero();
        assertThat(cxml("models", "promote", "intent@v1", "--conf", "cxml.models.gates.min-accuracy=0", "--conf",
                "cxml.models.gates.min-macro-f1=0", "--conf", "cxml.models.gates.min-language-accuracy=0"))
                .as(stdoutText() + stderrText()).isZero();
    }

    private JsonNode metrics(String name, String version) throws Exception {
        return JSON.readTree(root.resolve("models/" + name + "/" + version + "/report/routing-metrics.json").toFile());
    }

    private JsonNode index(String name, String version) throws Exception {
        return JSON.readTree(root.resolve("models/" + name + "/" + version + "/model/routing-index.json").toFile());
    }

    @Test
    @Order(1)
    void perTenantModelsBeatTheBaselinesAndSmallTenantsFallBack() throws Exception {
        assertThat(cxml("train", "routing")).as(stdoutText() + stderrText()).isZero();
        assertThat(stdoutText()).contains("routing@v1").contains("most frequent team");
        JsonNode m = metrics("routing", "v1");
        double top1 = m.at("/overall/top1").asDouble();
        double mostFrequent = m.at("/overall/mostFrequent").asDouble();
        assertThat(top1).as(m.toString()).isGreaterThan(mostFrequent + 0.10);
        assertThat(m.at("/overall/top3").asDouble()).isGreaterThanOrEqualTo(top1);
        // Tenants with a learnable policy (enough held-out tickets, their own model) beat their most frequent team.
        int judged = 0;
        int better = 0;
        for (var it = m.get("perTenant").fields(); it.hasNext();) {
            JsonNode t = it.next().getValue();
            if (t.get("examples").asLong() >= 20 && "tenant".equals(t.get("source").asText())) {
                judged++;
                better += t.get("top1").asDouble() > t.get("mostFrequent").asDouble() ? 1 : 0;
            }
        }
        assertThat(judged).isGreaterThan(3);
        assertThat(better).as("tenants beating their most frequent team").isGreaterThanOrEqualTo((int) (0.8 * judged));
        // The long tail of small tenants uses the global model, restricted to their teams.
        JsonNode idx = index("routing", "v1");
        assertThat(idx.get("fallback").size()).isGreaterThan(0);
        assertThat(idx.get("tenants").size()).isGreaterThan(3);
        // One version is a few packed artifacts, not one file per tenant.
        try (Stream<Path> files = Files.list(root.resolve("models/routing/v1/model"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".bin")).count())
                    .isLessThanOrEqualTo(idx.get("tenants").size() / 4 + 2);
        }
        JsonNode run = lastRun("train-routing");
        assertThat(run.at("/status").asText()).isEqualTo("succeeded");
        assertThat(run.at("/versions/intent").asText()).isEqualTo("intent@v1");
    }

    @Test
    @Order(2)
    void theRecentPolicyModelFollowsThePolicyChangeAndNeverPredictsARetiredTeam() throws Exception {
        assertThat(cxml("train", "routing", "--name", "routing-all-history", "--conf",
                "cxml.routing.lookback-days=0", "--conf", "cxml.routing.half-life-days=0")).as(stderrText()).isZero();
        // The held-out window (the newest tenth) is after every tenant's policy change (days 30-60 of 90).
        double recent = metrics("routing", "v1").at("/overall/top1").asDouble();
        double allHistory = metrics("routing-all-history", "v1").at("/overall/top1").asDouble();
        assertThat(recent).as("recent policy %s vs all history %s", recent, allHistory).isGreaterThan(allHistory);

        Map<String, Set<String>> retired = retiredTeams();
        assertThat(retired).as("the sample retires a team in tenants with four or more").isNotEmpty();
        JsonNode tenants = index("routing", "v1").get("tenants");
        int checked = 0;
        for (Map.Entry<String, Set<String>> e : retired.entrySet()) {
            JsonNode t = tenants.get(e.getKey());
            if (t != null) {
                List<String> teams = new ArrayList<>();
                t.get("teams").forEach(n -> teams.add(n.asText()));
                assertThat(teams).as(e.getKey()).doesNotContainAnyElementsOf(e.getValue());
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    @Order(3)
    void promotionGatesRefuseAWorseVersionAndScoringRoutesEveryTicket() throws Exception {
        assertThat(cxml("models", "promote", "routing@v1")).as(stdoutText() + stderrText()).isZero();
        // A version that barely trained: most tenants regress against the champion on the same rows.
        assertThat(cxml("train", "routing", "--conf", "cxml.routing.epochs=1", "--conf",
                "cxml.routing.learning-rate=0.0001", "--conf", "cxml.routing.intent-model=none")).as(stderrText())
                .isZero();
        assertThat(metrics("routing", "v2").get("champion").asText()).isEqualTo("routing@v1");
        assertThat(cxml("models", "promote", "routing@v2")).isNotZero();
        assertThat(stdoutText()).contains("share of tenants regressed").contains("FAIL")
                .contains("largest top-1 change against the champion");
        assertThat(stderrText()).contains("quality gates failed");

        assertThat(cxml("score", "--from", "2026-03-20", "--to", "2026-04-01")).as(stderrText()).isZero();
        SparkSession spark = LocalSpark.get();
        Dataset<Row> scored = spark.read().parquet(root.resolve("scored/tickets").toString());
        assertThat(scored.where(col("routed_team").isNull()).count()).isZero();
        assertThat(scored.select("routing_model").distinct().as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()).containsExactly("routing@v1");
        Map<String, Set<String>> retired = retiredTeams();
        for (Row r : scored.select("account_id", "routed_team").collectAsList()) {
            assertThat(retired.getOrDefault(r.getString(0), Set.of())).doesNotContain(r.getString(1));
        }
        assertThat(scored.select("routing_source").distinct().as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()).contains("tenant");

        // The version's reference profile (its held-out tickets as it routes them), and drift against it.
        JsonNode profile = JSON.readTree(root.resolve("models/routing/v1/profile/reference.json").toFile());
        assertThat(profile.get("rows").asLong()).isEqualTo(metrics("routing", "v1").at("/overall/examples").asLong());
        JsonNode predicted = profile.at("/slices/overall/categorical/predicted");
        assertThat(predicted.size()).as("routed teams are the predicted classes").isGreaterThan(3);
        assertThat(profile.at("/slices/overall/unknownRate").asDouble()).as("share routed by a fallback")
                .isBetween(0.0, 0.9);
        long scoredTickets = scored.count();
        int code = cxml("monitor", "drift", "--model", "routing@champion", "--from", "2026-03-20", "--to",
                "2026-04-01");
        assertThat(code).as(stdoutText() + stderrText()).isIn(0, 3);
        assertThat(stdoutText()).contains("scored by routing@v1");
        JsonNode drift = lastRun("monitor-drift");
        assertThat(drift.at("/versions/routing").asText()).isEqualTo("routing@v1");
        assertThat(drift.at("/counts/tickets").asLong()).isEqualTo(scoredTickets);
    }

    @Test
    @Order(4)
    void evaluatesAFileWithAnUnseenTenantOnTheFallback() throws Exception {
        Path file = root.resolve("routing-eval.csv");
        List<String> lines = new ArrayList<>(List.of("text,team,tenant,channel,priority"));
        for (Row r : LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString())
                .where(col("solved_at").isNotNull()).orderBy(col("created_at").desc()).limit(150)
                .select("text", "assigned_group", "account_id", "channel", "priority").collectAsList()) {
            String tenant = lines.size() % 5 == 0 ? "acct-never-seen" : r.getString(2);
            lines.add("\"" + r.getString(0).replace("\"", "\"\"") + "\"," + r.getString(1) + "," + tenant + ","
                    + r.getString(3) + "," + r.getString(4));
        }
        Files.write(file, lines);
        assertThat(cxml("evaluate", "routing", "--model", "routing@champion", "--data", file.toString()))
                .as(stdoutText() + stderrText()).isZero();
        assertThat(stdoutText()).contains("top-1").contains("fallback_unknown_tenant");
    }

    @Test
    @Order(5)
    void retrainPromotesABetterChallengerAndRefusesAWorseOneOnTheSameFrozenTickets() throws Exception {
        String[] noFloors = {"--conf", "cxml.models.gates.min-accuracy=0", "--conf", "cxml.models.gates.min-macro-f1=0",
            "--conf", "cxml.models.gates.min-language-accuracy=0"};
        String[] weak = {"--conf", "cxml.routing.epochs=1", "--conf", "cxml.routing.learning-rate=0.0001", "--conf",
            "cxml.routing.intent-model=none"};
        String[] retrain = {"retrain", "routing", "--from", "2026-01-01", "--to", "2026-04-01", "--name", "routing-ops"};
        // A weak champion of its own name, so that "better" and "worse" do not depend on run-to-run noise.
        assertThat(cxml(concat(weak, "train", "routing", "--name", "routing-ops"))).as(stderrText()).isZero();
        assertThat(cxml(concat(noFloors, "models", "promote", "routing-ops@v1"))).as(stdoutText() + stderrText())
                .isZero();
        // The drift check of the routing champion above said OK: nothing to answer.
        assertThat(cxml(concat(retrain, "--if-drifted"))).as(stderrText()).isZero();
        assertThat(stdoutText()).contains("retrain routing-ops: nothing to do (the last drift check");
        assertThat(lastRun("retrain-routing").at("/details/action").asText()).isEqualTo("skipped");

        // Training no longer depends on the order of the rows (RoutingReproducibilityTest), so this outcome is the
        // same on every run; but the frozen set holds 34-200 tickets per tenant, and 3 of the 24 tenants (41-53
        // tickets each, +-7 points of sampling error) lose 9-13 points against the barely trained champion: above
        // the default 10% of tenants. The better challenger is judged with a quarter of tenants allowed to regress;
        // the refusal below keeps the default.
        String[] smallFrozenSet = {"--conf", "cxml.routing.gates.max-regressed-share=0.25"};
        assertThat(cxml(concat(concat(retrain, noFloors), smallFrozenSet))).as(stdoutText() + stderrText())
                .isZero();
        JsonNode promoted = lastRun("retrain-routing");
        assertThat(promoted.at("/details/action").asText()).as(stdoutText()).isEqualTo("promoted");
        assertThat(promoted.at("/details/challenger").asText()).isEqualTo("routing-ops@v2");
        assertThat(promoted.at("/details/champion_after").asText()).isEqualTo("routing-ops@v2");
        JsonNode first = promoted.at("/details/evaluation");
        long rows = promoted.at("/details/eval_set/rows").asLong();
        assertThat(rows).isPositive();
        assertThat(first.at("/eval_rows").asLong()).isEqualTo(rows);
        assertThat(first.at("/champion_eval_rows").asLong()).as("same rows").isEqualTo(rows);
        assertThat(first.at("/champion").asText()).isEqualTo("routing-ops@v1");
        assertThat(first.at("/challenger_eval_top1").asDouble())
                .isGreaterThan(first.at("/champion_eval_top1").asDouble() + 0.05);
        for (String step : List.of("eval-set", "train", "evaluate", "promote")) {
            assertThat(lastRun("retrain-routing-" + step).at("/status").asText()).as(step).isEqualTo("succeeded");
        }
        JsonNode manifest = JSON.readTree(root.resolve("models/routing-ops/v2/model.json").toFile());
        assertThat(manifest.at("/data").asText()).contains("without the tickets of evaluation set routing-ops/e1");
        // The frozen tickets keep their point-in-time features, so both versions read the same inputs.
        Dataset<Row> frozen = LocalSpark.get().read().parquet(root.resolve("models/routing-ops/eval-sets/e1/rows")
                .toString());
        assertThat(frozen.count()).isEqualTo(rows);
        assertThat(frozen.columns()).contains("ticket_id", "team_load", "channel");

        assertThat(cxml(concat(concat(retrain, noFloors), weak)))
                .as(stdoutText() + stderrText()).isZero();
        JsonNode refused = lastRun("retrain-routing");
        assertThat(refused.at("/details/action").asText()).as(stdoutText()).isEqualTo("refused");
        assertThat(refused.at("/details/champion_after").asText()).isEqualTo("routing-ops@v2");
        assertThat(stdoutText()).contains("FAIL").contains("routing-ops/e1:tenants");
        JsonNode second = refused.at("/details/evaluation");
        assertThat(second.at("/eval_set").asText()).isEqualTo("routing-ops/e1");
        assertThat(second.at("/eval_set_fingerprint").asLong()).isEqualTo(first.at("/eval_set_fingerprint").asLong());
        assertThat(second.at("/champion_eval_rows").asLong()).isEqualTo(rows);
        assertThat(second.at("/champion_eval_top1").asDouble()).as("the champion measured again on the same rows")
                .isEqualTo(first.at("/challenger_eval_top1").asDouble());
        assertThat(lastRun("retrain-routing-refuse").at("/status").asText()).isEqualTo("succeeded");
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Teams a tenant used (3+ tickets) before its policy change and never in its last 35 days. */
    private Map<String, Set<String>> retiredTeams() {
        Dataset<Row> solved = LocalSpark.get().read().parquet(root.resolve("curated/interactions").toString())
                .where(col("solved_at").isNotNull());
        Map<String, Set<String>> early = teams(solved.where(col("created_at").lt("2026-01-25")), 3);
        Map<String, Set<String>> late = teams(solved.where(col("created_at").geq("2026-02-25")), 1);
        Map<String, Set<String>> out = new HashMap<>();
        early.forEach((tenant, teams) -> {
            Set<String> gone = new HashSet<>(teams);
            gone.removeAll(late.getOrDefault(tenant, Set.of()));
            if (!gone.isEmpty() && late.containsKey(tenant) && late.get(tenant).size() >= 3) {
                out.put(tenant, gone);
            }
        });
        return out;
    }

    private static Map<String, Set<String>> teams(Dataset<Row> rows, int min) {
        Map<String, Set<String>> out = new HashMap<>();
        for (Row r : rows.groupBy("account_id", "assigned_group").count().where(col("count").geq(min))
                .collectAsList()) {
            out.computeIfAbsent(r.getString(0), k -> new HashSet<>()).add(r.getString(1));
        }
        return out;
    }

    private JsonNode lastRun(String job) throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("runs/" + job))) {
            return JSON.readTree(files.sorted().reduce((a, b) -> b).orElseThrow().toFile());
        }
    }
}
