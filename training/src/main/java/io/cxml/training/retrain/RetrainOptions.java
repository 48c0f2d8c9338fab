package io.cxml.training.retrain;

import io.cxml.features.split.SplitShares;
import io.cxml.runtime.executor.DevicePreference;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.training.baseline.BaselineSettings;
import io.cxml.training.registry.ModelRegistry;
import io.cxml.training.registry.QualityGates;
import io.cxml.training.routing.RoutingGates;
import io.cxml.training.routing.RoutingRun;
import io.cxml.training.text.TrainingOptions;
import java.time.LocalDate;
import java.util.Objects;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;

/**
 * Immutable settings of one retraining, intent ({@link IntentRetraining}) or routing ({@link RoutingRetraining}).
 * Everything a caller reads from its config arrives here as a typed value, so that the library reads no config.
 * Build with {@link #builder()}: {@code set*} for what is required (name, window, the task's training settings),
 * {@code opt*} for the rest; {@link Builder#build()} validates.
 */
public final class RetrainOptions {
    /** Default share of the window (its latest part) frozen as a model's first evaluation set. */
    public static final double DEFAULT_EVAL_SET_FRACTION = 0.2;
    /** Default texts per predictor call when the executors score the evaluation rows. */
    public static final int DEFAULT_SCORING_BATCH_SIZE = 256;

    /**
     * What an intent retraining trains with (the settings of {@code cxml train intent}).
     *
     * @param training DJL training settings
     * @param unknownThreshold calibrated confidence below which predictions route to "unknown"
     * @param baseline the TF-IDF + logistic-regression baseline's settings, or null to skip it
     * @param outOfScopeLabel gold label of out-of-scope rows (correct when routed to unknown), or null
     * @param labels where the intent labels are in the export
     * @param languages the languages the detector knows (the language slices of the gates)
     */
    public record Intent(TrainingOptions training, double unknownThreshold, BaselineSettings baseline,
            String outOfScopeLabel, io.cxml.training.data.ExportLabels labels,
            io.cxml.language.LanguageOptions languages) {
        /** Normalizes a blank out-of-scope label to null (no such label). */
        public Intent {
            outOfScopeLabel = outOfScopeLabel == null || outOfScopeLabel.isBlank() ? null : outOfScopeLabel;
        }
    }

    /**
     * The intent version routing reads, resolved when the challenger is trained (the registry may have changed since
     * the options were built); a failure there fails the run's {@code train} step.
     */
    @FunctionalInterface
    public interface IntentModel {
        /** No intent input: route without intent probabilities. */
        IntentModel NONE = (registry, hadoop) -> null;

        /**
         * @param registry the registry of the run
         * @param hadoop its Hadoop configuration
         * @return the intent input, or null to route without intent probabilities
         */
        RoutingRun.IntentInput resolve(ModelRegistry registry, Configuration hadoop);
    }

    /**
     * What a routing retraining trains with (the settings of {@code cxml train routing}).
     *
     * @param training per-tenant training settings
     * @param textBuckets hashed text buckets
     * @param gates routing gates (share of tenants regressed, median tenant)
     * @param intentModel the intent version routing reads
     * @param embedding the ticket embedding routing reads, or null
     */
    public record Routing(RoutingTrainingOptions training, int textBuckets, RoutingGates gates,
            IntentModel intentModel, io.cxml.training.routing.RoutingRun.EmbeddingInput embedding) {
        /**
         * Without the embedding input.
         *
         * @param training per-tenant training settings
         * @param textBuckets hashed text buckets
         * @param gates routing gates
         * @param intentModel the intent version routing reads
         */
        public Routing(RoutingTrainingOptions training, int textBuckets, RoutingGates gates,
                IntentModel intentModel) {
            this(training, textBuckets, gates, intentModel, null);
        }
    }

    /**
     * Where {@code --if-drifted} looks for the drift alert to answer: the drift check's run records.
     *
     * @param job run-record job of the drift check ({@code monitor-drift})
     * @param verdictDetail run-record detail holding its verdict
     * @param alertVerdict the verdict that asks for a retraining ({@code ALERT})
     */
    public record DriftAlerts(String job, String verdictDetail, String alertVerdict) {
        /** Checks that every part is set. */
        public DriftAlerts {
            Objects.requireNonNull(job, "job");
            Objects.requireNonNull(verdictDetail, "verdictDetail");
            Objects.requireNonNull(alertVerdict, "alertVerdict");
        }
    }

    private final String name;
    private final LocalDate from;
    private final LocalDate to;
    private final Intent intent;
    private final Routing routing;
    private final double evalSetFraction;
    private final QualityGates gates;
    private final SplitShares split;
    private final int scoringBatchSize;
    private final DevicePreference device;
    private final DriftAlerts ifDrifted;
    private final RetrainListener listener;
    private final Function<Throwable, String> failureMessage;

    private RetrainOptions(Builder b) {
        this.name = b.name;
        this.from = b.from;
        this.to = b.to;
        this.intent = b.intent;
        this.routing = b.routing;
        this.evalSetFraction = b.evalSetFraction;
        this.gates = b.gates;
        this.split = b.split;
        this.scoringBatchSize = b.scoringBatchSize;
        this.device = b.device;
        this.ifDrifted = b.ifDrifted;
        this.listener = b.listener;
        this.failureMessage = b.failureMessage;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding these settings */
    public Builder toBuilder() {
        Builder b = new Builder().setName(name).setWindow(from, to).optEvalSetFraction(evalSetFraction).optGates(gates)
                .optSplit(split).optScoringBatchSize(scoringBatchSize).optDevice(device).optIfDrifted(ifDrifted)
                .optListener(listener).optFailureMessage(failureMessage);
        b.intent = intent;
        b.routing = routing;
        return b;
    }

    /** @return registry name of the model retrained */
    public String name() {
        return name;
    }

    /** @return first creation day of the window */
    public LocalDate from() {
        return from;
    }

    /** @return first creation day left out: the window is {@code [from, to)} */
    public LocalDate to() {
        return to;
    }

    /** @return the intent training settings, or null for a routing retraining */
    public Intent intent() {
        return intent;
    }

    /** @return the routing training settings, or null for an intent retraining */
    public Routing routing() {
        return routing;
    }

    /** @return share of the window (its latest part) frozen as the first evaluation set when the model has none */
    public double evalSetFraction() {
        return evalSetFraction;
    }

    /** @return promotion gates: floors and the largest allowed drops against the champion */
    public QualityGates gates() {
        return gates;
    }

    /** @return held-out shares of the window (the recent held-out rows are its test share) */
    public SplitShares split() {
        return split;
    }

    /** @return texts per predictor call when the executors score */
    public int scoringBatchSize() {
        return scoringBatchSize;
    }

    /** @return the device of the scoring tasks */
    public DevicePreference device() {
        return device;
    }

    /** @return where to find the drift alert to answer ({@code --if-drifted}), or null to always retrain */
    public DriftAlerts ifDrifted() {
        return ifDrifted;
    }

    /** @return who hears about the run as it goes (gate table, decision) */
    public RetrainListener listener() {
        return listener;
    }

    /** @return how a failed step's run record words its error */
    public Function<Throwable, String> failureMessage() {
        return failureMessage;
    }

    /** Collects the settings; {@link #build()} checks them. */
    public static final class Builder {
        private String name;
        private LocalDate from;
        private LocalDate to;
        private Intent intent;
        private Routing routing;
        private double evalSetFraction = DEFAULT_EVAL_SET_FRACTION;
        private QualityGates gates = QualityGates.DEFAULT;
        private SplitShares split = SplitShares.DEFAULT;
        private int scoringBatchSize = DEFAULT_SCORING_BATCH_SIZE;
        private DevicePreference device = DevicePreference.AUTO;
        private DriftAlerts ifDrifted;
        private RetrainListener listener = RetrainListener.NONE;
        private Function<Throwable, String> failureMessage = Builder::message;

        private Builder() {}

        /**
         * @param value registry name of the model to retrain ({@code intent}, {@code routing})
         * @return this builder
         */
        public Builder setName(String value) {
            this.name = value;
            return this;
        }

        /**
         * @param first first creation day of the tickets retrained on
         * @param last first creation day left out ({@code [first, last)})
         * @return this builder
         */
        public Builder setWindow(LocalDate first, LocalDate last) {
            this.from = first;
            this.to = last;
            return this;
        }

        /**
         * Makes this an intent retraining.
         *
         * @param value the intent training settings
         * @return this builder
         */
        public Builder setIntent(Intent value) {
            this.intent = value;
            return this;
        }

        /**
         * Makes this a routing retraining.
         *
         * @param value the routing training settings
         * @return this builder
         */
        public Builder setRouting(Routing value) {
            this.routing = value;
            return this;
        }

        /**
         * @param value share of the window frozen as the first evaluation set, in (0, 0.5)
         * @return this builder
         */
        public Builder optEvalSetFraction(double value) {
            this.evalSetFraction = value;
            return this;
        }

        /**
         * @param value promotion gates
         * @return this builder
         */
        public Builder optGates(QualityGates value) {
            this.gates = value;
            return this;
        }

        /**
         * @param value held-out shares of the window
         * @return this builder
         */
        public Builder optSplit(SplitShares value) {
            this.split = value;
            return this;
        }

        /**
         * @param value texts per predictor call when the executors score
         * @return this builder
         */
        public Builder optScoringBatchSize(int value) {
            this.scoringBatchSize = value;
            return this;
        }

        /**
         * @param value device of the scoring tasks
         * @return this builder
         */
        public Builder optDevice(DevicePreference value) {
            this.device = value;
            return this;
        }

        /**
         * @param value where to find the drift alert to answer; the run then does nothing without one. Null (the
         *     default) retrains unconditionally
         * @return this builder
         */
        public Builder optIfDrifted(DriftAlerts value) {
            this.ifDrifted = value;
            return this;
        }

        /**
         * @param value who hears about the run as it goes
         * @return this builder
         */
        public Builder optListener(RetrainListener value) {
            this.listener = value;
            return this;
        }

        /**
         * @param value how a failed step's run record words its error (a CLI keeps it to one line)
         * @return this builder
         */
        public Builder optFailureMessage(Function<Throwable, String> value) {
            this.failureMessage = value;
            return this;
        }

        /** @return the validated options */
        public RetrainOptions build() {
            check(name != null && !name.isBlank(), "the model name is not set", "Call setName(\"intent\")");
            check(from != null && to != null, "the window is not set", "Call setWindow(from, to)");
            check(to.isAfter(from), "the window [" + from + ", " + to + ") is empty",
                    "Give --to after --from: it is the first day left out");
            check(intent != null || routing != null, "no training settings are set",
                    "Call setIntent(..) or setRouting(..)");
            check(intent == null || routing == null, "both intent and routing training settings are set",
                    "Call only one of setIntent(..) and setRouting(..)");
            check(intent == null || intent.training() != null, "the intent training options are null",
                    "Pass TrainingOptions.builder().build() or the configured ones");
            check(intent == null || (intent.labels() != null && intent.languages() != null),
                    "the intent label source or the languages are null",
                    "Pass the configured ExportLabels and LanguageOptions");
            check(routing == null || (routing.training() != null && routing.gates() != null
                    && routing.intentModel() != null), "a routing setting is null",
                    "Pass the training options, the routing gates and an IntentModel (IntentModel.NONE for none)");
            check(routing == null || routing.textBuckets() >= 1, "the routing text buckets are "
                    + (routing == null ? 0 : routing.textBuckets()), "Use a positive number such as 4096");
            check(evalSetFraction > 0 && evalSetFraction < 0.5, "the evaluation-set fraction is " + evalSetFraction,
                    "Use a share in (0, 0.5) such as " + DEFAULT_EVAL_SET_FRACTION);
            check(gates != null, "the gates are null", "Pass QualityGates.DEFAULT or the configured gates");
            check(split != null, "the split shares are null", "Pass SplitShares.DEFAULT or the configured shares");
            check(scoringBatchSize >= 1, "the scoring batch size is " + scoringBatchSize, "Use 1 or more, e.g. 256");
            check(device != null, "the device is null", "Use AUTO, CPU or GPU");
            check(listener != null, "the listener is null", "Pass RetrainListener.NONE to hear nothing");
            check(failureMessage != null, "the failure message is null", "Pass Throwable::getMessage");
            return new RetrainOptions(this);
        }

        private static String message(Throwable e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }

        private static void check(boolean ok, String reason, String fix) {
            if (!ok) {
                throw new IllegalArgumentException("Cannot retrain: " + reason + ". " + fix);
            }
        }
    }
}
