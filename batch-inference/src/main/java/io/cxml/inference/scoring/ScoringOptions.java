package io.cxml.inference.scoring;

import io.cxml.language.LanguageOptions;
import io.cxml.runtime.executor.DevicePreference;
import java.time.Instant;
import java.util.Objects;

/**
 * What one {@code cxml score} run does.
 *
 * @param from first creation time included
 * @param to first creation time excluded
 * @param intent the intent model
 * @param sentiment the sentiment model, or null to leave the sentiment columns empty
 * @param languages languages the deployment serves (others are skipped)
 * @param batchSize texts per predictor call
 * @param topK labels per prediction
 * @param maxTextChars longer texts are skipped
 * @param device where executors score (auto, cpu or gpu)
 * @param routing the routing version, or null to leave the routing columns empty
 * @param activeTeamDays a tenant's teams that solved a ticket in the last this many days before {@code from} are
 *     its current teams (routing never picks another one); 0 = do not restrict
 * @param experiment the experiment running in the window, or null: its units are scored by their arm's version
 */
public record ScoringOptions(Instant from, Instant to, ScoringModel intent, ScoringModel sentiment,
        LanguageOptions languages, int batchSize, int topK, int maxTextChars, DevicePreference device, ScoringModel routing,
        int activeTeamDays, ScoringExperiment experiment) {
    /** Validates the options. */
    public ScoringOptions {
        Objects.requireNonNull(intent, "intent");
        Objects.requireNonNull(languages, "languages");
        Objects.requireNonNull(device, "device");
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("Cannot score the window " + from + " .. " + to
                    + ": --from must be before --to");
        }
        if (activeTeamDays < 0) {
            throw new IllegalArgumentException("Cannot score with active-team-days " + activeTeamDays
                    + ": use 0 (no restriction) or more");
        }
        if (maxTextChars < 1) {
            throw new IllegalArgumentException("Cannot score with max-text-chars " + maxTextChars + ": use 1 or more");
        }
        boolean taskMissing = experiment != null && (experiment.task().equals("sentiment") && sentiment == null
                || experiment.task().equals("routing") && routing == null);
        if (taskMissing) {
            throw new IllegalArgumentException("Cannot score experiment '" + experiment.experiment().name()
                    + "' without a default " + experiment.task() + " model: set cxml.scoring.models."
                    + experiment.task());
        }
    }

    /**
     * @param task intent, sentiment or routing
     * @param model the version that replaces the task's model
     * @return these options with that model (an experiment arm's variant; the experiment itself is kept)
     */
    public ScoringOptions withModel(String task, ScoringModel model) {
        return new ScoringOptions(from, to, task.equals("intent") ? model : intent,
                task.equals("sentiment") ? model : sentiment, languages, batchSize, topK, maxTextChars, device,
                task.equals("routing") ? model : routing, activeTeamDays, experiment);
    }

    /** @return a builder: {@code set*} required, {@code opt*} optional, validated in {@link Builder#build()} */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link ScoringOptions} (the jobs take the sizes from cxml.scoring.*); device AUTO unless given. */
    public static final class Builder {
        private Instant from;
        private Instant to;
        private ScoringModel intent;
        private ScoringModel sentiment;
        private LanguageOptions languages;
        private int batchSize;
        private int topK;
        private int maxTextChars;
        private DevicePreference device = DevicePreference.AUTO;
        private ScoringModel routing;
        private int activeTeamDays;
        private ScoringExperiment experiment;

        private Builder() {}

        /**
         * @param from first creation time included
         * @param to first creation time excluded
         * @return this builder
         */
        public Builder setWindow(Instant from, Instant to) {
            this.from = from;
            this.to = to;
            return this;
        }

        /** @param model the intent model @return this builder */
        public Builder setIntent(ScoringModel model) {
            this.intent = model;
            return this;
        }

        /** @param model the sentiment model, or null @return this builder */
        public Builder optSentiment(ScoringModel model) {
            this.sentiment = model;
            return this;
        }

        /** @param value the languages served @return this builder */
        public Builder setLanguages(LanguageOptions value) {
            this.languages = value;
            return this;
        }

        /** @param value texts per predictor call @return this builder */
        public Builder setBatchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** @param value labels per prediction @return this builder */
        public Builder setTopK(int value) {
            this.topK = value;
            return this;
        }

        /** @param value longer texts are skipped @return this builder */
        public Builder setMaxTextChars(int value) {
            this.maxTextChars = value;
            return this;
        }

        /** @param value where executors score @return this builder */
        public Builder optDevice(DevicePreference value) {
            this.device = value;
            return this;
        }

        /** @param model the routing version, or null @return this builder */
        public Builder optRouting(ScoringModel model) {
            this.routing = model;
            return this;
        }

        /** @param days active-team lookback, 0 = no restriction @return this builder */
        public Builder optActiveTeamDays(int days) {
            this.activeTeamDays = days;
            return this;
        }

        /** @param value the experiment running in the window, or null @return this builder */
        public Builder optExperiment(ScoringExperiment value) {
            this.experiment = value;
            return this;
        }

        /**
         * @return the options
         * @throws IllegalArgumentException when the window or a limit is invalid
         * @throws NullPointerException when the intent model or the languages are missing
         */
        public ScoringOptions build() {
            if (batchSize < 1 || topK < 1) {
                throw new IllegalArgumentException("Cannot score with batch size " + batchSize + " and top-k " + topK
                        + ": set both to 1 or more");
            }
            return new ScoringOptions(from, to, intent, sentiment, languages, batchSize, topK, maxTextChars, device,
                    routing, activeTeamDays, experiment);
        }
    }
}
