package io.cxml.training.text;

import java.io.Serializable;

/**
 * Settings of fine-tuning a pretrained encoder ({@link PretrainedFineTuner}); present in {@link TrainingOptions}
 * when {@code cxml.training.encoder.kind = pretrained}. Seed, patience and device come from the task's options.
 *
 * @param path the Hugging Face encoder folder (local path or {@code s3a://} URI) readable where training runs
 * @param maxSeqLength tokens per text, special tokens included (capped by the model's positions)
 * @param epochs maximum epochs
 * @param batchSize examples per optimizer step
 * @param learningRate peak AdamW learning rate (reached after warm-up, then decayed linearly to 0)
 * @param warmupFraction share of all steps spent warming up linearly from 0
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm global gradient-norm clipping threshold, 0 to disable
 * @param frozenLayers lower transformer layers (and the embeddings) kept frozen, 0 to train everything
 */
public record FineTuneOptions(String path, int maxSeqLength, int epochs, int batchSize, float learningRate,
        float warmupFraction, float weightDecay, float clipNorm, int frozenLayers) implements Serializable {
    /** Validates the settings. */
    public FineTuneOptions {
        check(path != null && !path.isBlank(), "the encoder path is empty",
                "set cxml.training.encoder.path to a Hugging Face folder");
        check(maxSeqLength >= 2, "max sequence length is " + maxSeqLength, "use e.g. 128");
        check(epochs >= 1, "epochs is " + epochs, "use at least 1");
        check(batchSize >= 1, "batch size is " + batchSize, "use e.g. 32");
        check(learningRate > 0 && Float.isFinite(learningRate), "learning rate is " + learningRate,
                "use e.g. 5e-5");
        check(warmupFraction >= 0 && warmupFraction < 1, "warm-up fraction is " + warmupFraction,
                "use a value in [0, 1), e.g. 0.1");
        check(weightDecay >= 0, "weight decay is " + weightDecay, "use e.g. 0.01");
        check(clipNorm >= 0, "gradient clip norm is " + clipNorm, "use e.g. 1.0, or 0 to disable");
        check(frozenLayers >= 0, "frozen layers is " + frozenLayers, "use 0 or more");
    }

    private static void check(boolean ok, String reason, String fix) {
        if (!ok) {
            throw new IllegalArgumentException("Cannot fine-tune: " + reason + ". " + fix);
        }
    }
}
