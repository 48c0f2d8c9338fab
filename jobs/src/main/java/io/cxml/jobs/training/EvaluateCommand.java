package io.cxml.jobs.training;

import io.cxml.jobs.assist.AssistEvaluationJob;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.cli.TimeWindow;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.config.Settings;
import io.cxml.training.data.LabelledFileSource;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.Metrics;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.text.ModelEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cxml evaluate intent|sentiment|routing --model NAME[@VERSION|@ALIAS] --data PATH} and
 * {@code cxml evaluate assist --from TS --to TS [--k K] [--data PATH]}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate a registered model and its saved baseline on a labelled file (CSV or Parquet, columns "
                + "text,label[,language][,tenant]), scored on the executors, and write metrics.json + report.html "
                + "under evaluations/<name>/<version>/<run>/.",
            "`evaluate assist --from TS --to TS`: the window's assist stages (similarity, re-ranked, TF-IDF baseline): "
                + "precision@k, MRR and article hit rate per language and tenant, against --data (ticket_id,intent"
                + "[,language][,article_id]) or, without it, the sample's truth; evaluations/assist/<run>/metrics.json."})
public final class EvaluateCommand extends CxmlCommand {
    /** The task that measures agent assist rather than a model. */
    static final String ASSIST = "assist";

    @Parameters(index = "0", paramLabel = "TASK", description = "intent, sentiment or routing (the default model "
            + "name), or assist. routing reads text,team[,tenant][,language][,channel][,priority][,event_time].")
    String task;

    @Option(names = "--model", paramLabel = "NAME[@VERSION|@ALIAS]",
            description = "Model to evaluate (default: TASK, i.e. its champion, else its latest version).")
    String model;

    @Option(names = "--data", paramLabel = "PATH", description = "Labelled CSV or Parquet file (required but for "
            + "assist on the sample).")
    String data;

    @Option(names = "--from", paramLabel = "TS", description = "assist: first creation time included.")
    String from;

    @Option(names = "--to", paramLabel = "TS", description = "assist: first creation time excluded.")
    String to;

    @Option(names = "--k", paramLabel = "K", description = "assist: cut-off (default: cxml.assist.top-k).")
    Integer k;

    @Override
    public Integer call() {
        Settings config = settings();
        if (ASSIST.equals(task)) {
            if (from == null || to == null || model != null) {
                throw new ConfigError("Cannot evaluate assist: it takes --from TS --to TS [--k K] [--data PATH] "
                        + "(no --model)");
            }
            AssistEvaluationJob.run(config, jobName() + " " + ASSIST, TimeWindow.time(from, "--from"), TimeWindow.time(to, "--to"),
                    k == null ? config.assist().topK() : k, data);
            return 0;
        }
        if (data == null || from != null || to != null || k != null) {
            throw new ConfigError("Cannot evaluate " + task + ": it takes --data PATH [--model NAME] (--from, --to "
                    + "and --k are for `evaluate assist`)");
        }
        ModelRef ref = ModelRef.parse(model == null ? task : model);
        if (io.cxml.training.routing.RoutingRun.TASK.equals(task)) {
            RoutingEvaluation.run(config, jobName(), ref, data);
            return 0;
        }
        ModelEvaluation.Result[] result = new ModelEvaluation.Result[1];
        String[] report = new String[1];
        List<String> heldOut = new ArrayList<>();
        JobRun.execute(config, jobName(), System.out, (spark, layout, record) -> {
            io.cxml.jobs.features.EmbeddingViews.activate(config, spark, layout);
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            String version = registry.resolve(ref).version();
            String target = layout.resolve("evaluations/" + ref.name() + "/" + version + "/" + record.runId);
            Path local = layout.isLocal() ? Path.of(java.net.URI.create(target)) : Files.createTempDirectory("eval-");
            result[0] = new ModelEvaluation(spark, registry).run(ref, new LabelledFileSource(data), local,
                    config.training().outOfScopeLabel(), config.scoring().batchSize(), config.training().device());
            if (!layout.isLocal()) {
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
                FileSystem fs = dst.getFileSystem(spark.sparkContext().hadoopConfiguration());
                fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
            }
            report[0] = target + "/" + result[0].html().getFileName();
            Metrics m = result[0].model();
            heldOut.addAll(HeldOutDescription.lines(ReportWriter.read(result[0].html().resolveSibling(
                    ReportWriter.METRICS_FILE)).extra()));
            record.count("examples", m.examples());
            record.details.put("model", result[0].version());
            record.details.put("data", data);
            record.details.put("accuracy", m.accuracy());
            record.details.put("macro_f1", m.macroF1());
            if (result[0].baseline() != null) {
                record.details.put("baseline_accuracy", result[0].baseline().accuracy());
                record.details.put("baseline_macro_f1", result[0].baseline().macroF1());
            }
            record.details.put("report", report[0]);
        });
        print(result[0]);
        heldOut.forEach(line -> System.out.println("  " + line));
        System.out.println("report: " + report[0]);
        return 0;
    }

    private static void print(ModelEvaluation.Result r) {
        System.out.printf("  %-10s %-9s %-9s %s%n", "", "accuracy", "macro-F1", "weakest language");
        line(r.version(), r.model());
        if (r.baseline() != null) {
            line("baseline", r.baseline());
        }
        Metrics.OutOfScope oos = r.model().outOfScope();
        if (oos != null) {
            System.out.printf("  out of scope (%s): in-scope accuracy %.4f, recall %.4f, false rejections %.4f%n",
                    oos.label(), oos.inScopeAccuracy(), oos.outOfScopeRecall(), oos.falseRejectionRate());
        }
    }

    private static void line(String name, Metrics m) {
        String weakest = m.perLanguage().entrySet().stream()
                .min(Comparator.comparingDouble((Map.Entry<String, Metrics.SliceMetrics> e) -> e.getValue().accuracy()))
                .map(e -> String.format("%s %.4f (%d)", e.getKey(), e.getValue().accuracy(), e.getValue().examples()))
                .orElse("-");
        System.out.printf("  %-10s %-9.4f %-9.4f %s%n", name, m.accuracy(), m.macroF1(), weakest);
    }
}
