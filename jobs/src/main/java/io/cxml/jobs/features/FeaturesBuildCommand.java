package io.cxml.jobs.features;

import io.cxml.features.OfflineStore;
import io.cxml.features.view.FeatureView;
import io.cxml.features.view.FeatureViews;
import io.cxml.jobs.cli.DayWindow;
import io.cxml.jobs.cli.CxmlCommand;
import io.cxml.jobs.cli.JobRun;
import io.cxml.jobs.config.Settings;
import io.cxml.runs.RunRecord;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cxml features build}: materialize feature views for a window of event dates. */
@Command(name = "build", mixinStandardHelpOptions = true,
        description = {"Materialize feature views from curated/interactions to features/<view>/v<N>/dt=.../ for the "
                + "events dated [--from, --to). Re-running a window rewrites exactly its partitions; a changed view "
                + "definition is written as a new version (see `cxml features list`)."})
public final class FeaturesBuildCommand extends CxmlCommand {
    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First event day (YYYY-MM-DD).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "DATE", description = "First event day left out: the window is [--from, "
            + "--to) (default: the day after --from).")
    LocalDate to;

    @Option(names = "--views", split = ",", paramLabel = "VIEW[,VIEW...]", description = "Views to build "
            + "(default: all).")
    List<String> views = new ArrayList<>();

    @Override
    public Integer call() {
        run(settings(), from, to == null ? from.plusDays(1) : to, views);
        return 0;
    }

    /**
     * Builds views for a window (also used by the pipeline).
     *
     * @param config the validated config
     * @param from first event day
     * @param to first event day left out ({@code [from, to)})
     * @param names views to build, empty for all
     * @return the run record
     */
    public static RunRecord run(Settings config, LocalDate from, LocalDate to, List<String> names) {
        LocalDate last = DayWindow.lastDay("build features for", from, to);
        List<FeatureView> selected = EmbeddingViews.catalog(config).select(names);
        return JobRun.execute(config, "features build", System.out, (spark, layout, record) -> {
            new OfflineStore(spark, layout).build(selected, from, last, record);
            record.window.put("to", to.toString());
        });
    }
}
