package io.cxml.runtime.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.cxml.runtime.text.PaddedBatch;
import io.cxml.runtime.text.TextFeaturizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pre- and post-processing of the classifier: featurizes and pads a list of texts; turns logits into
 * temperature-scaled probabilities and top-k predictions. Batching is the list itself (no batchifier).
 */
public final class ClassifierTranslator implements NoBatchifyTranslator<List<String>, List<Prediction>> {
    private final TextFeaturizer featurizer;
    private final ClassifierSpec spec;
    private final int topK;

    /**
     * @param featurizer the featurizer the model was trained with
     * @param spec labels, temperature and threshold
     * @param topK how many labels each prediction lists
     */
    public ClassifierTranslator(TextFeaturizer featurizer, ClassifierSpec spec, int topK) {
        this.featurizer = featurizer;
        this.spec = spec;
        this.topK = Math.max(1, Math.min(topK, spec.labels().size()));
    }

    @Override
    public NDList processInput(TranslatorContext ctx, List<String> texts) {
        List<int[]> ids = new ArrayList<>(texts.size());
        for (String text : texts) {
            ids.add(featurizer.featurize(text));
        }
        return PaddedBatch.of(ctx.getNDManager(), ids);
    }

    @Override
    public List<Prediction> processOutput(TranslatorContext ctx, NDList list) {
        NDArray logits = list.singletonOrThrow();
        int classes = spec.labels().size();
        float[] flat = logits.div((float) spec.temperature()).softmax(1).toFloatArray();
        int rows = flat.length / classes;
        List<Prediction> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            float[] probs = new float[classes];
            System.arraycopy(flat, r * classes, probs, 0, classes);
            out.add(Prediction.fromProbabilities(probs, spec, topK));
        }
        return out;
    }
}
