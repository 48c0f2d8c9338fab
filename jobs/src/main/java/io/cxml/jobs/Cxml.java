package io.cxml.jobs;

import io.cxml.jobs.cli.ConfigCommand;
import io.cxml.jobs.cli.ConsoleLogging;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.ConfigError;
import io.cxml.jobs.features.FeaturesCommand;
import io.cxml.jobs.ingest.IngestCommand;
import io.cxml.jobs.pipeline.PipelineCommand;
import io.cxml.jobs.sample.GenerateSampleCommand;
import io.cxml.jobs.scoring.ScoreCommand;
import io.cxml.jobs.storage.PublishCommand;
import io.cxml.jobs.training.EvaluateCommand;
import io.cxml.jobs.training.ModelsCommand;
import io.cxml.jobs.training.TrainCommand;
import io.cxml.offline.OfflineDefaults;
import java.io.PrintWriter;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The one entry point: {@code cxml <job> [options]} through {@code bin/cxml}, or
 * {@code spark-submit --class io.cxml.jobs.Cxml cxml.jar <job> [options]}. Exit codes: 0 success, 1 the job failed,
 * 2 bad command line or configuration, 3 a drift alert ({@code monitor drift}), 4 the window selected nothing; a
 * failure prints one line that says why. The same outcome is in the job's run record ({@code outcome}, {@code reason}),
 * which is what survives {@code spark-submit --deploy-mode cluster}.
 */
@Command(name = "cxml", mixinStandardHelpOptions = true, versionProvider = Cxml.Version.class,
        description = "Customer-service machine learning on Apache Spark.",
        subcommands = {
            GenerateSampleCommand.class,
            IngestCommand.class,
            FeaturesCommand.class,
            PipelineCommand.class,
            PublishCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            ScoreCommand.class,
            ModelsCommand.class,
            io.cxml.jobs.monitor.MonitorCommand.class,
            io.cxml.jobs.experiment.ExperimentCommand.class,
            io.cxml.jobs.retrain.RetrainCommand.class,
            io.cxml.jobs.assist.KbIngestCommand.class,
            io.cxml.jobs.assist.AssistCommand.class,
            io.cxml.jobs.assist.FitRerankCommand.class,
            ConfigCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Cxml extends CxmlCommand {
    private static final Logger LOG = LoggerFactory.getLogger(Cxml.class);

    /** Exit code of a failed job. */
    public static final int EXIT_FAILED = 1;
    /** Exit code of a bad command line or configuration. */
    public static final int EXIT_USAGE = 2;
    /** Exit code of a job whose window selected nothing ({@link io.cxml.jobs.cli.EmptyWindow}). */
    public static final int EXIT_EMPTY_WINDOW = 4;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /**
     * Runs a command line without exiting the JVM (tests and the pipeline use this).
     *
     * @param args the arguments
     * @return the exit code
     */
    public static int run(String... args) {
        OfflineDefaults.applyToThisJvm();
        ConsoleLogging.configure(args);
        CommandLine cli = new CommandLine(new Cxml());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            String job = commandLine.getCommandSpec().qualifiedName(" ").replaceFirst("^cxml ", "");
            boolean usage = e instanceof ConfigError;
            boolean empty = e instanceof io.cxml.jobs.cli.EmptyWindow;
            // Our own messages are complete and say what to do; anything else (a Spark failure...) gets a last line
            // that does. Stack traces only with --verbose.
            boolean explained = usage || empty || e instanceof IllegalArgumentException
                    || (e instanceof CxmlException && e.getCause() == null)
                    || (e.getMessage() != null && e.getMessage().startsWith("Cannot "));
            if (ConsoleLogging.verbose()) {
                LOG.error("{} failed", job, e);
            } else {
                LOG.debug("{} failed", job, e);
            }
            err.println("cxml " + job + ": error: " + JobRun.oneLine(e));
            if (!explained) {
                err.println("cxml " + job + ": fix the cause above and run the same command again"
                        + (ConsoleLogging.verbose() ? "" : "; add --verbose for the full log and stack"
                        + " trace"));
            }
            err.flush();
            return usage ? EXIT_USAGE : empty ? EXIT_EMPTY_WINDOW : EXIT_FAILED;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(e.getCommandLine().getCommandSpec().qualifiedName(" ") + ": error: " + JobRun.oneLine(e));
            err.println("Try 'cxml " + e.getCommandLine().getCommandSpec().qualifiedName(" ").replaceFirst("^cxml ?", "")
                    .trim().replaceAll("(.+)", "$1 ") + "--help' for usage.");
            err.flush();
            return EXIT_USAGE;
        });
        try {
            return cli.execute(args);
        } finally {
            SparkSession.getActiveSession().foreach(s -> {
                s.stop();
                return null;
            });
        }
    }

    /**
     * Command-line entry point.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cxml.class.getPackage().getImplementationVersion();
            return new String[] {"cxml " + (v == null ? "dev" : v)};
        }
    }
}
