package io.cxml.jobs.config;

import io.cxml.inference.monitoring.TextDrift;
import io.cxml.inference.monitoring.DriftThresholds;

/**
 * Monitoring area ({@code cxml.monitor.*}): drift thresholds, the version checked, the offenders printed and the
 * warehouse tables. Resolved once by {@link Settings#resolve}; the only place these keys are read. Defaults live in
 * {@code conf/application.conf}.
 */
public final class MonitoringSettings {
    /** Prefix of the drift keys. */
    public static final String DRIFT = "cxml.monitor.drift";
    /** Config key: version whose reference profile is compared with. */
    public static final String DRIFT_MODEL = DRIFT + ".model";
    /** Config keys of the drift thresholds. */
    public static final String PSI_WARN = DRIFT + ".psi-warn";
    public static final String PSI_ALERT = DRIFT + ".psi-alert";
    public static final String JS_WARN = DRIFT + ".js-warn";
    public static final String JS_ALERT = DRIFT + ".js-alert";
    public static final String CONFIDENCE_WARN = DRIFT + ".confidence-warn";
    public static final String CONFIDENCE_ALERT = DRIFT + ".confidence-alert";
    public static final String UNKNOWN_WARN = DRIFT + ".unknown-warn";
    public static final String UNKNOWN_ALERT = DRIFT + ".unknown-alert";
    public static final String MIN_SLICE_TICKETS = DRIFT + ".min-slice-tickets";
    public static final String CLASSES = DRIFT + ".classes";
    /** Prefix of the text-drift keys (embedding domain classifier). */
    public static final String TEXT = DRIFT + ".text";
    /** Config key: offenders printed. */
    public static final String WORST = DRIFT + ".worst";
    /** Config key: warehouse table of the drift metrics; "" skips publishing. */
    public static final String DRIFT_TABLE = DRIFT + ".table";
    /** Config key: warehouse table of the realised quality; "" skips publishing. */
    public static final String QUALITY_TABLE = "cxml.monitor.quality.table";

    private final DriftThresholds thresholds;
    private final String driftModel;
    private final int worst;
    private final String driftTable;
    private final String qualityTable;
    private final int textReferenceDays;
    private final TextDrift.Settings textDrift;

    private MonitoringSettings(CxmlConfig config) {
        try {
            this.thresholds = new DriftThresholds(config.getDouble(PSI_WARN), config.getDouble(PSI_ALERT),
                    config.getDouble(JS_WARN), config.getDouble(JS_ALERT), config.getDouble(CONFIDENCE_WARN),
                    config.getDouble(CONFIDENCE_ALERT), config.getDouble(UNKNOWN_WARN),
                    config.getDouble(UNKNOWN_ALERT), config.getInt(MIN_SLICE_TICKETS), config.getInt(CLASSES));
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
        this.driftModel = config.getString(DRIFT_MODEL);
        this.worst = config.getInt(WORST);
        this.driftTable = config.getString(DRIFT_TABLE);
        this.qualityTable = config.getString(QUALITY_TABLE);
        this.textReferenceDays = config.getInt(TEXT + ".reference-days");
        double warn = config.getDouble(TEXT + ".auc-warn");
        double alert = config.getDouble(TEXT + ".auc-alert");
        int maxRows = config.getInt(TEXT + ".max-rows");
        if (textReferenceDays < 1 || maxRows < 20 || !(warn > 0 && warn <= alert && alert < 0.5)) {
            throw new ConfigError("Cannot check text drift with " + TEXT + ".reference-days = " + textReferenceDays
                    + ", max-rows = " + maxRows + ", auc-warn = " + warn + ", auc-alert = " + alert + ": use at least "
                    + "1 day and 20 rows, and 0 < auc-warn <= auc-alert < 0.5 (margins above the noise floor)");
        }
        this.textDrift = new TextDrift.Settings(maxRows, config.getInt(MIN_SLICE_TICKETS), warn, alert,
                config.getDouble(TEXT + ".reg-param"), 42);
    }

    /** @return days before the window whose tickets' embeddings are the text-drift reference */
    public int textReferenceDays() {
        return textReferenceDays;
    }

    /** @return the text-drift check's settings */
    public TextDrift.Settings textDrift() {
        return textDrift;
    }

    /**
     * @param config the validated config
     * @return the monitoring settings
     * @throws ConfigError when a threshold is invalid
     */
    public static MonitoringSettings resolve(CxmlConfig config) {
        return new MonitoringSettings(config);
    }

    /** @return the drift thresholds */
    public DriftThresholds driftThresholds() {
        return thresholds;
    }

    /** @return the version checked by default */
    public String driftModel() {
        return driftModel;
    }

    /** @return offenders printed */
    public int worst() {
        return worst;
    }

    /** @return the drift metrics table; blank skips publishing */
    public String driftTable() {
        return driftTable;
    }

    /** @return the realised quality table; blank skips publishing */
    public String qualityTable() {
        return qualityTable;
    }
}
