package io.cxml.runtime.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Feeds a predictor texts of similar length: a batch is padded to its longest text, so the texts are ordered by
 * length and cut into chunks of {@value #CHUNK}, and the predictions come back in input order. Every caller of a
 * classifier predictor (single-process and executor scoring alike) goes through here.
 */
public final class LengthBatches {
    /** Texts per predictor call. */
    public static final int CHUNK = 64;

    private LengthBatches() {}

    /**
     * @param predictor a classifier predictor
     * @param texts the texts (null counts as empty)
     * @return one prediction per text, in input order
     * @throws TranslateException when the predictor fails
     */
    public static List<Prediction> predict(Predictor<List<String>, List<Prediction>> predictor, List<String> texts)
            throws TranslateException {
        Integer[] order = new Integer[texts.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i) == null ? 0 : texts.get(i).length()));
        Prediction[] out = new Prediction[texts.size()];
        for (int start = 0; start < order.length; start += CHUNK) {
            int end = Math.min(order.length, start + CHUNK);
            List<String> chunk = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                String text = texts.get(order[i]);
                chunk.add(text == null ? "" : text);
            }
            List<Prediction> predicted = predictor.predict(chunk);
            for (int i = start; i < end; i++) {
                out[order[i]] = predicted.get(i - start);
            }
        }
        return Arrays.asList(out);
    }
}
