package io.cxml.jobs.pipeline;

import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.config.Settings;
import io.cxml.jobs.monitor.MonitorDriftCommand;
import io.cxml.jobs.monitor.MonitorQualityCommand;
import io.cxml.jobs.retrain.RetrainCommand;
import io.cxml.jobs.sample.DriftScenario;
import io.cxml.jobs.sample.SampleSpec;
import io.cxml.jobs.scoring.ScoreCommand;
import io.cxml.jobs.training.ModelsCommand;
import io.cxml.jobs.training.TrainCommand;
import io.cxml.runs.RunRecord;
import io.cxml.storage.StorageLayout;
import io.cxml.training.retrain.RetrainResult;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operations part of {@code pipeline --sample --scenario ...}: train and promote on the days before the first
 * planted drift, score the whole history, check the drifted days (expecting an alert), retrain {@code --if-drifted},
 * re-score the drifted days with the new champion, check them again, and report the realised quality of the
 * history (the old champion's scores before the drift, the new one's after).
 */
final class DriftDemo {
    private final Settings config;
    private final LocalDate first;
    private final LocalDate last;
    private final LocalDate drift;
    private String model;
    private RunRecord before;
    private RetrainResult retrained;
    private RunRecord after;
    private RunRecord quality;

    DriftDemo(Settings config, SampleSpec spec) {
        this.config = config;
        this.first = spec.startDate();
        this.last = spec.endDate();
        this.drift = spec.scenarios().stream().map(DriftScenario::from).min(LocalDate::compareTo).orElseThrow();
    }

    private static Instant at(LocalDate d) {
        return d.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** @return the stages after ingest and features build, by name */
    List<Map.Entry<String, Runnable>> stages() {
        List<Map.Entry<String, Runnable>> out = new ArrayList<>();
        out.add(Map.entry("train intent (before the drift)", () -> {
            var m = TrainCommand.run(config, "train intent", "intent", null, null, null, first, drift,
                    null).manifest();
            model = m.name() + "@" + m.version();
        }));
        out.add(Map.entry("promote intent", () -> ModelsCommand.promote(config, model)));
        out.add(Map.entry("score", () -> ScoreCommand.run(config, at(first), at(last.plusDays(1)), Map.of())));
        out.add(Map.entry("monitor drift", () -> before = MonitorDriftCommand.run(config, at(drift),
                at(last.plusDays(1)), null)));
        out.add(Map.entry("retrain intent --if-drifted", () -> {
            retrained = RetrainCommand.intent(config, first, last.plusDays(1), true);
            if (!"promoted".equals(retrained.action())) {
                throw new CxmlException("Cannot finish the drift demo: the retraining " + retrained.action()
                        + " the challenger " + retrained.challenger() + " (run record "
                        + retrained.record().runId + "); see its gate table above");
            }
        }));
        out.add(Map.entry("score (re-score the drifted days)", () -> ScoreCommand.run(config, at(drift),
                at(last.plusDays(1)), Map.of())));
        out.add(Map.entry("monitor drift (new champion)", () -> after = MonitorDriftCommand.run(config, at(drift),
                at(last.plusDays(1)), null)));
        out.add(Map.entry("monitor quality", () -> quality = MonitorQualityCommand.run(config, at(first),
                at(last.plusDays(1)))));
        return out;
    }

    void printSummary(StorageLayout layout) {
        System.out.printf("  drift from %s: %s against %s (%s alert(s)); retrain: %s %s, champion %s; after: %s "
                        + "(%s alert(s))%n", drift, before.details.get(MonitorDriftCommand.VERDICT), model,
                before.counts.get("alerts"), retrained.challenger(), retrained.action(), retrained.champion(),
                after.details.get(MonitorDriftCommand.VERDICT), after.counts.get("alerts"));
        System.out.println("  drift reports    " + before.details.get("report") + " , " + after.details.get("report"));
        System.out.println("  realised quality " + quality.details.get("table"));
        System.out.println("  scored tickets   " + layout.resolve("scored/tickets"));
    }
}
