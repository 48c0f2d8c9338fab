package io.cxml.jobs.training;

import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.CxmlException;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import io.cxml.runs.RunRecordStore;
import io.cxml.storage.StorageLayout;
import io.cxml.training.registry.AliasChange;
import io.cxml.training.registry.Aliases;
import io.cxml.training.registry.GateCheck;
import io.cxml.training.registry.ModelManifest;
import io.cxml.training.registry.ModelRef;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.Promotion;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cxml models list|show|promote|rollback}: the registry from the command line. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Inspect the model registry and move the champion alias (promotion runs the quality gates "
                + "of cxml.models.gates).",
        subcommands = {ModelsCommand.ListModels.class, ModelsCommand.Show.class, ModelsCommand.Promote.class,
            ModelsCommand.Rollback.class})
public final class ModelsCommand extends CxmlCommand {
    @Override
    public Integer call() {
        spec.commandLine().usage(System.out);
        return 0;
    }

    /** Registry access without Spark: the storage root's Hadoop/S3A configuration only. */
    abstract static class RegistryCommand extends CxmlCommand {
        ModelRegistry registry(Settings config) {
            return ModelsCommand.registry(config);
        }

        <T> T recorded(Settings config, String action, java.util.function.Function<RunRecord, T> change) {
            return ModelsCommand.recorded(config, action, change);
        }
    }

    /**
     * @param config the validated config
     * @return the registry under the storage root
     */
    public static ModelRegistry registry(Settings config) {
        return new ModelRegistry(config.storage().layout(), config.storage().hadoop());
    }

    /**
     * Runs a change of the registry with a run record ({@code runs/models-<action>/<run-id>.json}), written also when
     * the change fails, as every other job does.
     */
    static <T> T recorded(Settings config, String action, java.util.function.Function<RunRecord, T> change) {
        StorageLayout layout = config.storage().layout();
        RunRecordStore store = new RunRecordStore(layout, config.storage().hadoop());
        RunRecord record = RunRecord.start("models-" + action);
        record.details.put("storage_root", layout.root());
        try {
            T result = change.apply(record);
            record.succeed();
            System.out.println("  run record " + store.write(record));
            return result;
        } catch (RuntimeException e) {
            if (e instanceof Promotion.GateFailure) {
                record.flag(RunRecord.Outcome.REFUSED, e.getMessage().lines().findFirst().orElse(e.getMessage()));
            }
            record.fail(io.cxml.jobs.cli.JobRun.oneLine(e));
            store.write(record);
            throw e;
        }
    }

    /**
     * Promotes a version through the quality gates, printing the gate table, with a run record (also used by the
     * pipeline).
     *
     * @param config the validated config
     * @param ref the version, e.g. {@code intent@v3} or {@code intent@challenger}
     * @return the promotion
     * @throws CxmlException when a gate refuses (the table is printed)
     */
    public static Promotion.Promoted promote(Settings config, String ref) {
        ModelRegistry registry = registry(config);
        ModelRef parsed = ModelRef.parse(ref);
        try {
            Promotion.Promoted promoted = recorded(config, "promote", record -> {
                record.details.put("model", parsed.name());
                record.details.put("requested", ref);
                Promotion.Promoted p = new Promotion(registry, config.training().gates(),
                        RoutingModels.promotionGates(registry, config.routing().gates()))
                        .promote(parsed, record.runId);
                record.details.put("champion", p.change().aliases().champion());
                record.details.put("alias_history_entry", p.change().sequence());
                return p;
            });
            System.out.print(GateCheck.table(promoted.gates()));
            System.out.println(parsed.name() + "@champion is now " + promoted.change().aliases().champion());
            return promoted;
        } catch (Promotion.GateFailure e) {
            System.out.print(GateCheck.table(e.results()));
            ModelManifest candidate = registry.resolve(parsed);
            if (io.cxml.training.routing.RoutingRun.TASK.equals(candidate.task())) {
                System.out.println("Tenants with the largest top-1 change against the champion:");
                System.out.print(io.cxml.training.routing.RoutingGates.worstTenants(
                        RoutingModels.metrics(registry, candidate), 15));
            }
            // An expected refusal, fully explained by the table above: no stack trace in the log.
            throw new CxmlException(e.getMessage().lines().findFirst().orElse(e.getMessage()));
        }
    }

    /** {@code cxml models list [NAME]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List models, or the versions of one.")
    public static final class ListModels extends RegistryCommand {
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model name.")
        String name;

        @Override
        public Integer call() {
            ModelRegistry registry = registry(settings());
            List<String> names = name == null ? registry.models() : List.of(name);
            System.out.printf("%-12s %-8s %-10s %-10s %9s %9s %9s  %s%n", "model", "version", "task", "alias",
                    "accuracy", "macro-F1", "baseline", "created");
            for (String n : names) {
                Aliases aliases = registry.aliases(n);
                for (ModelManifest m : registry.versions(n)) {
                    String alias = m.version().equals(aliases.champion()) ? Aliases.CHAMPION
                            : m.version().equals(aliases.challenger()) ? Aliases.CHALLENGER : "";
                    System.out.printf("%-12s %-8s %-10s %-10s %9.4f %9.4f %9s  %s%n", n, m.version(), m.task(),
                            alias, m.metrics().accuracy(), m.metrics().macroF1(),
                            m.baseline() == null ? "-" : String.format("%.4f", m.baseline().accuracy()),
                            m.createdAt());
                }
            }
            return 0;
        }
    }

    /** {@code cxml models show NAME[@VERSION|@ALIAS]}. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print a version's model.json.")
    public static final class Show extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "NAME[@VERSION|@ALIAS]", description = "The model.")
        String ref;

        @Override
        public Integer call() throws Exception {
            ModelRegistry registry = registry(settings());
            ModelManifest m = registry.resolve(ModelRef.parse(ref));
            System.out.println(io.cxml.training.eval.ReportWriter.JSON.copy()
                    .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                    .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .writeValueAsString(m));
            System.out.println("report: " + registry.versionUri(m.name(), m.version()) + "/"
                    + ModelRegistry.REPORT_DIR + "/report.html");
            return 0;
        }
    }

    /** {@code cxml models promote NAME@VERSION|NAME@challenger}. */
    @Command(name = "promote", mixinStandardHelpOptions = true,
            description = "Make a version the champion if it passes the quality gates (floors, and maximum regression "
                    + "vs the current champion, overall and per language); otherwise refuse with the failed gates.")
    public static final class Promote extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "NAME@VERSION", description = "The version (or NAME@challenger).")
        String ref;

        @Override
        public Integer call() {
            promote(settings(), ref);
            return 0;
        }
    }

    /** {@code cxml models rollback NAME}. */
    @Command(name = "rollback", mixinStandardHelpOptions = true,
            description = "Point the champion back at the previous champion.")
    public static final class Rollback extends RegistryCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "The model name.")
        String name;

        @Override
        public Integer call() {
            Settings config = settings();
            ModelRegistry registry = registry(config);
            AliasChange change = recorded(config, "rollback", record -> {
                record.details.put("model", name);
                AliasChange c = new Promotion(registry, config.training().gates()).rollback(name, record.runId);
                record.details.put("champion", c.aliases().champion());
                record.details.put("alias_history_entry", c.sequence());
                return c;
            });
            System.out.println(name + "@champion is now " + change.aliases().champion());
            return 0;
        }
    }
}
