package io.cxml.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.jobs.CliTestBase;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user's view: `cxml ...` command lines, exit codes, one-line errors, tables and run records on disk. */
class PipelineEndToEndTest extends CliTestBase {
    @TempDir
    Path root;

    private List<String> errorLines() {
        return stderrText().lines().filter(l -> l.startsWith("cxml ") || l.startsWith("cxml:")).toList();
    }

    @Test
    void samplePipelineReconcilesWithTheGeneratorAndIsIdempotent() throws Exception {
        String[] args = {"pipeline", "--sample", "--tickets", "3000", "--accounts", "8", "--days", "6",
            "--conf", "cxml.storage.root=" + root, "--conf", "spark.sql.shuffle.partitions=4"};

        assertThat(cxml(args)).as(stderrText()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("pipeline succeeded: 3 stage(s)");

        JsonNode contents = new ObjectMapper().readTree(
                Files.readString(root.resolve("raw/interactions/_SAMPLE.json"))).get("contents");
        SparkSession spark = LocalSpark.get();
        StorageLayout layout = StorageLayout.of(root.toString());
        RunRecord ingest = new RunRecordStore(layout, new Configuration()).latestSucceeded("ingest").orElseThrow();
        long bad = 0;
        for (JsonNode n : contents.get("bad_lines")) {
            bad += n.asLong();
        }
        assertThat(ingest.count("read")).isEqualTo(contents.get("lines").asLong());
        assertThat(ingest.count("curated")).isEqualTo(3000);
        assertThat(ingest.count("quarantined")).isEqualTo(bad);
        assertThat(ingest.count("duplicates")).isEqualTo(
                contents.get("duplicate_lines").asLong() + contents.get("superseded_versions").asLong());
        Dataset<Row> first = spark.read().parquet(layout.curatedInteractions()).cache();
        assertThat(first.count()).isEqualTo(3000);
        assertThat(first.select("ticket_id").distinct().count()).isEqualTo(3000);
        assertThat(spark.read().parquet(layout.quarantine("interactions")).count()).isEqualTo(bad);
        List<Row> before = first.drop("source_file").orderBy("ticket_id").collectAsList();

        assertThat(cxml(args)).as(stderrText()).isZero();

        List<Row> after = LocalSpark.get().read().parquet(layout.curatedInteractions()).drop("source_file")
                .orderBy("ticket_id").collectAsList();
        assertThat(after).containsExactlyElementsOf(before);
        assertThat(new RunRecordStore(layout, new Configuration()).list("ingest")).hasSize(2);
    }

    @Test
    void helpListsJobsAndExitsZero() {
        assertThat(cxml("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("generate-sample", "ingest", "pipeline", "config");
        assertThat(cxml("ingest", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--from=DATE", "--to=DATE");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        assertThat(cxml("ingest")).isEqualTo(2);
        assertThat(errorLines()).containsExactly("cxml ingest: error: Missing required option: '--from=DATE'");

        assertThat(cxml("no-such-job")).isEqualTo(2);
        assertThat(errorLines()).hasSize(1).first().asString().contains("Unmatched argument", "no-such-job");

        assertThat(cxml("ingest", "--from", "2026-13-01")).isEqualTo(2);
        assertThat(errorLines()).hasSize(1);
    }

    @Test
    void configErrorsFailBeforeSparkStarts() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        assertThat(cxml("ingest", "--from", "2026-01-01", "--conf", "cxml.ingest.max-text-chars=lots")).isEqualTo(2);

        assertThat(errorLines()).containsExactly("cxml ingest: error: Wrong type for config key "
                + "'cxml.ingest.max-text-chars' (from --conf cxml.ingest.max-text-chars): expected a number, got "
                + "\"lots\"");
        assertThat(SparkSession.getActiveSession().isDefined()).isFalse();
    }

    @Test
    void aWindowThatSelectsNothingExitsFourWithTheCauseAndAnEmptyRunRecord() {
        assertThat(cxml("ingest", "--from", "2020-01-01", "--conf", "cxml.storage.root=" + root, "--conf",
                "cxml.run.id=empty-day")).isEqualTo(io.cxml.jobs.Cxml.EXIT_EMPTY_WINDOW);

        assertThat(errorLines()).hasSize(1).first().asString()
                .startsWith("cxml ingest: error: Cannot ingest [2020-01-01, 2020-01-02): no *.jsonl[.gz] files");
        List<RunRecord> runs = new RunRecordStore(StorageLayout.of(root.toString()), new Configuration())
                .list("ingest");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).runId).isEqualTo("empty-day");
        assertThat(runs.get(0).status).isEqualTo("failed");
        assertThat(runs.get(0).outcome).isEqualTo("empty");
        assertThat(runs.get(0).reason).startsWith("Cannot ingest [2020-01-01, 2020-01-02)");
        // --to is the first day left out: a window that ends where it starts is a usage error.
        assertThat(cxml("ingest", "--from", "2020-01-01", "--to", "2020-01-01", "--conf",
                "cxml.storage.root=" + root)).isEqualTo(2);
    }

    @Test
    void configShowPrintsTheEffectiveConfigWithSecretsRedacted() {
        assertThat(cxml("config", "--show", "--conf", "spark.hadoop.fs.s3a.secret.key=topsecret42")).isZero();

        String shown = out.toString(StandardCharsets.UTF_8);
        assertThat(shown).contains("root=\"./data\"").contains("******").doesNotContain("topsecret42");
    }
}
