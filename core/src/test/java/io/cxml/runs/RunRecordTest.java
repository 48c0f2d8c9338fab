package io.cxml.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A record says what its run means to an orchestrator: outcome and reason, beside the life cycle. */
class RunRecordTest {
    @Test
    void theOutcomeFollowsTheRunAndAFlagSurvivesItsEnd() {
        RunRecord ok = RunRecord.start("score");
        ok.succeed();
        assertThat(ok.status).isEqualTo("succeeded");
        assertThat(ok.outcome).isEqualTo("success");
        assertThat(ok.reason).isNull();

        RunRecord alert = RunRecord.start("monitor-drift");
        alert.flag(RunRecord.Outcome.ALERT, "2 metric(s) crossed the alert threshold");
        alert.succeed();
        assertThat(alert.status).isEqualTo("succeeded");
        assertThat(alert.outcome).isEqualTo("alert");
        assertThat(alert.reason).isEqualTo("2 metric(s) crossed the alert threshold");

        RunRecord refused = RunRecord.start("models-promote");
        refused.flag(RunRecord.Outcome.REFUSED, "min-accuracy 0.61 < 0.7");
        refused.fail("Cannot promote intent@v2: min-accuracy 0.61 < 0.7");
        assertThat(refused.status).isEqualTo("failed");
        assertThat(refused.outcome).isEqualTo("refused");
        assertThat(refused.reason).isEqualTo("min-accuracy 0.61 < 0.7");

        RunRecord failedAfterAlert = RunRecord.start("monitor-drift");
        failedAfterAlert.flag(RunRecord.Outcome.ALERT, "1 metric(s)");
        failedAfterAlert.fail("Cannot write the report: disk full");
        assertThat(failedAfterAlert.outcome).isEqualTo("failed");
        assertThat(failedAfterAlert.reason).isEqualTo("Cannot write the report: disk full");
        assertThat(RunRecordStore.toJson(failedAfterAlert)).contains("\"outcome\" : \"failed\"");
    }

    @Test
    void aGivenRunIdIsKeptWhenItIsASafeFileName() {
        assertThat(RunRecord.start("ingest", "airflow-cxml_ingest-ingest-20260102T000000-try1").runId)
                .isEqualTo("airflow-cxml_ingest-ingest-20260102T000000-try1");
        assertThat(RunRecord.start("ingest", " ").runId).matches("\\d{8}T\\d{9}Z-[0-9a-f]+");
        assertThatThrownBy(() -> RunRecord.start("ingest", "../etc/passwd")).hasMessage("Cannot use run id "
                + "'../etc/passwd': use letters, digits, '.', '_' and '-' (it names the record file "
                + "runs/<job>/<run id>.json)");
    }
}
