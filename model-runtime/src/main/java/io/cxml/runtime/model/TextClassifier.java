package io.cxml.runtime.model;

import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.runtime.text.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A trained text classifier loaded from a model directory ({@value #SPEC_FILE} plus DJL parameters): the API that
 * tests, benchmarks and single-process tools use. Holds its own {@link ClassifierModel} and one predictor; not
 * thread-safe (use one instance per thread) and must be closed. Spark jobs share one {@link ClassifierModel} per
 * executor instead ({@code io.cxml.training.serving}).
 *
 * <pre>{@code
 * try (TextClassifier classifier = TextClassifier.load(dir, Device.cpu(), 3)) {
 *     Prediction p = classifier.predict("my card has not arrived");
 *     p.label(); p.confidence(); p.topK(); p.routedLabel();
 * }
 * }</pre>
 */
public final class TextClassifier implements AutoCloseable {
    /** File holding the {@link ClassifierSpec}. */
    public static final String SPEC_FILE = "classifier.json";
    /** DJL model name (prefix of the parameter file). */
    public static final String MODEL_NAME = "text-classifier";
    /** DJL engine used by every cxml text model. */
    public static final String ENGINE = TextEncoder.ENGINE;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ClassifierModel model;
    private final Predictor<List<String>, List<Prediction>> predictor;
    private final ClassifierSpec spec;

    private TextClassifier(ClassifierModel model, ClassifierSpec spec, int topK) {
        this.model = model;
        this.spec = spec;
        this.predictor = model.newPredictor(spec, topK);
    }

    /**
     * Loads a classifier on the CPU with top-3 predictions.
     *
     * @param dir the model directory
     * @return the classifier (close it)
     */
    public static TextClassifier load(Path dir) {
        return load(dir, Device.cpu(), 3);
    }

    /**
     * Loads a classifier.
     *
     * @param dir the model directory
     * @param device where to run it
     * @param topK how many labels each prediction lists
     * @return the classifier (close it)
     */
    public static TextClassifier load(Path dir, Device device, int topK) {
        return load(dir, device, topK, UnaryOperator.identity());
    }

    /**
     * Loads a classifier with an adjusted spec, e.g. {@code s -> s.withTemperature(1)} for uncalibrated
     * probabilities.
     *
     * @param dir the model directory
     * @param device where to run it
     * @param topK how many labels each prediction lists
     * @param adjust changes applied to the saved spec (labels and encoder must stay the same)
     * @return the classifier (close it)
     */
    public static TextClassifier load(Path dir, Device device, int topK, UnaryOperator<ClassifierSpec> adjust) {
        ClassifierModel model = ClassifierModel.load(dir, device);
        try {
            return new TextClassifier(model, adjust.apply(model.spec()), topK);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * @param dir a model directory
     * @return its spec
     */
    public static ClassifierSpec readSpec(Path dir) {
        Path file = dir.resolve(SPEC_FILE);
        try {
            return JSON.readValue(file.toFile(), ClassifierSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage()
                    + ". Point to a model directory written by cxml training", e);
        }
    }

    /**
     * Writes (or replaces) a model directory's spec.
     *
     * @param dir the model directory
     * @param spec the spec
     */
    public static void writeSpec(Path dir, ClassifierSpec spec) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(SPEC_FILE).toFile(), spec);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + dir.resolve(SPEC_FILE) + ": " + e.getMessage(), e);
        }
    }

    /** @return the spec (labels, temperature, threshold, encoder) */
    public ClassifierSpec spec() {
        return spec;
    }

    /**
     * @param text one text
     * @return its prediction
     */
    public Prediction predict(String text) {
        return predict(List.of(text == null ? "" : text)).get(0);
    }

    /**
     * Predicts in chunks of texts of similar length ({@link LengthBatches}; the result is in input order).
     *
     * @param texts the texts
     * @return one prediction per text, in order
     */
    public List<Prediction> predict(List<String> texts) {
        try {
            return LengthBatches.predict(predictor, texts);
        } catch (TranslateException e) {
            throw new IllegalStateException("Cannot predict: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
