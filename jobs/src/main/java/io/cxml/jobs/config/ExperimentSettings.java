package io.cxml.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.cxml.experiments.Experiment;
import io.cxml.experiments.ExperimentUnit;
import io.cxml.experiments.Metric;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Experiments area ({@code cxml.experiments}: the list of online experiments; {@code cxml.experiment-analysis.*}: how
 * they are analysed). Resolved and validated once by {@link Settings#resolve}, so a bad experiment fails every command
 * at start-up with one line naming it; the only place these keys are read. See docs/experiments.md.
 */
public final class ExperimentSettings {
    /** Config key: the list of experiments. */
    public static final String EXPERIMENTS = "cxml.experiments";
    /** Config key: error rate of every interval and test. */
    public static final String ALPHA = "cxml.experiment-analysis.alpha";
    /** Config key: days before an experiment's start whose outcomes give each unit its CUPED covariate; 0 = none. */
    public static final String PRE_PERIOD_DAYS = "cxml.experiment-analysis.pre-period-days";
    /** Config key: language and tenant slices with fewer units are neither tested nor checked for sample ratio. */
    public static final String MIN_SLICE_UNITS = "cxml.experiment-analysis.min-slice-units";
    /** Config key: warehouse table of the results; "" skips publishing. */
    public static final String TABLE = "cxml.experiment-analysis.table";

    private static final Set<String> EXPERIMENT_KEYS = Set.of("name", "model", "unit", "traffic-share", "arms",
            "start", "end", "primary-metric", "guardrails", "minimum-detectable-effect", "maturity");
    /** Keys without a default; their absence is named with what to give instead of Typesafe's missing-key error. */
    private static final List<java.util.Map.Entry<String, String>> REQUIRED_KEYS = List.of(
            java.util.Map.entry("model", "intent, routing or sentiment"),
            java.util.Map.entry("arms", "[{name = control, version = \"MODEL@champion\"}, {name = challenger, "
                    + "version = \"MODEL@vN\"}]"),
            java.util.Map.entry("start", "a date or time"), java.util.Map.entry("end", "a date or time"),
            java.util.Map.entry("primary-metric", "csat, reopen, escalation, handle_time or reassignment"),
            java.util.Map.entry("minimum-detectable-effect", "the smallest relative change of the primary metric "
                    + "worth detecting, e.g. 0.05 (it also scales the always-valid intervals)"));
    private static final Set<String> ARM_KEYS = Set.of("name", "version", "weight");

    private final List<Experiment> experiments;
    private final double alpha;
    private final int prePeriodDays;
    private final int minSliceUnits;
    private final String table;

    private ExperimentSettings(CxmlConfig config) {
        this.alpha = config.getDouble(ALPHA);
        this.prePeriodDays = config.getInt(PRE_PERIOD_DAYS);
        this.minSliceUnits = config.getInt(MIN_SLICE_UNITS);
        this.table = config.getString(TABLE);
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new ConfigError("Wrong value for config key '" + ALPHA + "': " + alpha + " is not in (0, 0.5)");
        }
        if (prePeriodDays < 0 || minSliceUnits < 1) {
            throw new ConfigError("Wrong value for config key '" + PRE_PERIOD_DAYS + "' or '" + MIN_SLICE_UNITS
                    + "': use 0 or more days and 1 or more units");
        }
        List<Experiment> parsed = new ArrayList<>();
        List<? extends Config> list = config.raw().getConfigList(EXPERIMENTS);
        for (int i = 0; i < list.size(); i++) {
            parsed.add(parse(list.get(i), i));
        }
        for (int i = 0; i < parsed.size(); i++) {
            for (int j = 0; j < i; j++) {
                Experiment a = parsed.get(j);
                Experiment b = parsed.get(i);
                if (a.name().equals(b.name())) {
                    throw new ConfigError("Cannot use " + EXPERIMENTS + ": two experiments are named '" + a.name()
                            + "'; names must be unique (the name salts the assignment)");
                }
                if (a.overlapsInTime(b)) {
                    throw new ConfigError("Cannot use experiment '" + b.name() + "' (" + EXPERIMENTS + "): it overlaps '"
                            + a.name() + "' (" + a.start() + " .. " + a.end() + ")"
                            + (a.model().equals(b.model()) ? " on the same model " + a.model()
                                    + ": a ticket can be served one " + a.model() + " version only"
                                    : ": scored tickets record one experiment each")
                            + "; move its start to " + a.end() + " or later");
                }
            }
        }
        this.experiments = List.copyOf(parsed);
    }

    /**
     * @param config the validated config
     * @return the experiment settings
     * @throws ConfigError naming the experiment, the key and the fix
     */
    public static ExperimentSettings resolve(CxmlConfig config) {
        return new ExperimentSettings(config);
    }

    private static Experiment parse(Config c, int index) {
        String name = c.hasPath("name") ? c.getString("name") : "#" + (index + 1);
        String where = "experiment '" + name + "' (" + EXPERIMENTS + ")";
        try {
            for (String key : c.root().keySet()) {
                if (!EXPERIMENT_KEYS.contains(key)) {
                    throw new ConfigError("Cannot use " + where + ": unknown key '" + key + "'; the keys are "
                            + new java.util.TreeSet<>(EXPERIMENT_KEYS));
                }
            }
            for (var required : REQUIRED_KEYS) {
                if (!c.hasPath(required.getKey())) {
                    throw new ConfigError("Cannot use " + where + ": '" + required.getKey() + "' is missing; give "
                            + required.getValue());
                }
            }
            List<Experiment.Arm> arms = new ArrayList<>();
            for (Config arm : c.getConfigList("arms")) {
                for (String key : arm.root().keySet()) {
                    if (!ARM_KEYS.contains(key)) {
                        throw new ConfigError("Cannot use " + where + ": unknown arm key '" + key
                                + "'; an arm has name, version and weight");
                    }
                }
                arms.add(new Experiment.Arm(arm.getString("name"), arm.getString("version"),
                        arm.hasPath("weight") ? arm.getDouble("weight") : 1.0));
            }
            List<Metric> guardrails = new ArrayList<>();
            for (String g : c.hasPath("guardrails") ? c.getStringList("guardrails") : List.<String>of()) {
                guardrails.add(Metric.parse(g));
            }
            return new Experiment(c.getString("name"), c.getString("model"),
                    ExperimentUnit.parse(c.hasPath("unit") ? c.getString("unit") : "ticket"),
                    c.hasPath("traffic-share") ? c.getDouble("traffic-share") : 1.0, arms,
                    time(c.getString("start"), where, "start"), time(c.getString("end"), where, "end"),
                    Metric.parse(c.getString("primary-metric")), guardrails,
                    c.getDouble("minimum-detectable-effect"),
                    c.hasPath("maturity") ? c.getDuration("maturity") : Duration.ofDays(7));
        } catch (ConfigException e) {
            throw new ConfigError("Cannot use " + where + ": " + e.getMessage().replaceAll("^.*?: ", ""), e);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("Cannot use " + where + ": " + e.getMessage(), e);
        }
    }

    /** A date (its midnight UTC) or an ISO instant. */
    private static Instant time(String value, String where, String key) {
        try {
            return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ConfigError("Cannot use " + where + ": " + key + " '" + value
                    + "' is neither a date (2026-01-01) nor a time (2026-01-01T06:00:00Z)");
        }
    }

    /** @return every configured experiment */
    public List<Experiment> experiments() {
        return experiments;
    }

    /**
     * @param name an experiment name
     * @return the experiment
     * @throws ConfigError naming the configured experiments
     */
    public Experiment named(String name) {
        return experiments.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow(() -> new ConfigError(
                "Cannot find experiment '" + name + "' in " + EXPERIMENTS + "; configured: "
                        + experiments.stream().map(Experiment::name).toList()));
    }

    /**
     * @param from first creation time
     * @param to first creation time excluded
     * @return the experiment running in that window, if any (experiments never overlap)
     */
    public Optional<Experiment> activeDuring(Instant from, Instant to) {
        return experiments.stream().filter(e -> e.activeDuring(from, to)).findFirst();
    }

    /** @return error rate of every interval and test */
    public double alpha() {
        return alpha;
    }

    /** @return pre-period days of the CUPED covariate; 0 = none */
    public int prePeriodDays() {
        return prePeriodDays;
    }

    /** @return smallest slice tested */
    public int minSliceUnits() {
        return minSliceUnits;
    }

    /** @return warehouse table of the results; blank skips publishing */
    public String table() {
        return table;
    }
}
