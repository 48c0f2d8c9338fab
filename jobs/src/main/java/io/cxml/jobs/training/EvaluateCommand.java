package io.cxml.jobs.training;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.CxmlConfig;
import io.cxml.training.data.LabelledFileSource;
import io.cxml.training.eval.HeldOutDescription;
import io.cxml.training.eval.ReportWriter;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.run.ModelEvaluation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cxml evaluate intent|sentiment --model NAME[@VERSION|@ALIAS] --data PATH}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Evaluate a registered model on a labelled file (CSV or Parquet, columns text,label[,language]"
                + "[,tenant]) and write metrics.json + report.html under evaluations/<name>/<version>/<run>/.")
public final class EvaluateCommand extends CxmlCommand {
    @Parameters(index = "0", paramLabel = "TASK", description = "intent or sentiment (the default model name).")
    String task;

    @Option(names = "--model", paramLabel = "NAME[@VERSION|@ALIAS]",
            description = "Model to evaluate (default: TASK, i.e. its champion, else its latest version).")
    String model;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "Labelled CSV or Parquet file.")
    String data;

    @Override
    public Integer call() {
        CxmlConfig config = config();
        ModelRef ref = ModelRef.parse(model == null ? task : model);
        String[] report = new String[1];
        List<String> heldOut = new ArrayList<>();
        JobRun.execute(config, jobName(), System.out, (spark, layout, record) -> {
            ModelRegistry registry = new ModelRegistry(layout, spark.sparkContext().hadoopConfiguration());
            String version = registry.resolve(ref).version();
            String target = layout.resolve("evaluations/" + ref.name() + "/" + version + "/" + record.runId);
            Path local = layout.isLocal() ? Path.of(java.net.URI.create(target)) : Files.createTempDirectory("eval-");
            Path html = new ModelEvaluation(spark, registry).run(ref, new LabelledFileSource(data), local);
            if (!layout.isLocal()) {
                org.apache.hadoop.fs.Path dst = new org.apache.hadoop.fs.Path(target);
                FileSystem fs = dst.getFileSystem(spark.sparkContext().hadoopConfiguration());
                fs.copyFromLocalFile(true, true, new org.apache.hadoop.fs.Path(local.toUri()), dst);
            }
            report[0] = target + "/" + html.getFileName();
            heldOut.addAll(HeldOutDescription.lines(ReportWriter.read(html.resolveSibling(ReportWriter.METRICS_FILE))
                    .extra()));
            record.details.put("model", ref.name() + "@" + version);
            record.details.put("data", data);
            record.details.put("report", report[0]);
        });
        heldOut.forEach(line -> System.out.println("  " + line));
        System.out.println("report: " + report[0]);
        return 0;
    }
}
