package io.cxml.inference.scoring;

import io.cxml.experiments.Experiment;
import java.util.Map;

/**
 * An experiment served by one scoring run: {@link io.cxml.experiments.Assignment} gives each unit its arm, and each
 * arm's tickets are scored with that arm's version of the experiment's model; tickets outside the experiment get the
 * run's default models.
 *
 * @param experiment the experiment
 * @param armModels arm name -> the resolved version it serves, for every arm
 */
public record ScoringExperiment(Experiment experiment, Map<String, ScoringModel> armModels) {
    /** Checks that every arm has its model. */
    public ScoringExperiment {
        armModels = Map.copyOf(armModels);
        for (Experiment.Arm arm : experiment.arms()) {
            if (!armModels.containsKey(arm.name())) {
                throw new IllegalArgumentException("Cannot score experiment '" + experiment.name() + "': arm '"
                        + arm.name() + "' has no resolved model");
            }
        }
    }

    /** @return the task whose model the arms change */
    public String task() {
        return experiment.model();
    }
}
