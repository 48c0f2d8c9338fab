package io.cxml.runtime.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import io.cxml.runtime.text.TextEncoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The weights of a saved classifier, loaded once: a DJL model plus the encoder that featurizes its input. Safe to
 * share between threads (an executor's tasks share one); every thread makes its own {@link Predictor} with
 * {@link #newPredictor}, because DJL predictors are not thread-safe. Temperature and unknown threshold are not part of
 * the loaded state: they come with each predictor, so a calibration written after training needs no reload.
 */
public final class ClassifierModel implements AutoCloseable {
    private final Model model;
    private final ClassifierSpec spec;
    private final TextEncoder encoder;

    private ClassifierModel(Model model, ClassifierSpec spec, TextEncoder encoder) {
        this.model = model;
        this.spec = spec;
        this.encoder = encoder;
    }

    /**
     * Loads the weights of a model directory.
     *
     * @param dir the model directory ({@value TextClassifier#SPEC_FILE} and DJL parameters)
     * @param device where to run it
     * @return the model (close it)
     */
    public static ClassifierModel load(Path dir, Device device) {
        ClassifierSpec spec = TextClassifier.readSpec(dir);
        TextEncoder encoder = TextEncoders.fromSpec(spec.encoder(), dir);
        Model model = Model.newInstance(TextClassifier.MODEL_NAME, device, TextClassifier.ENGINE);
        try {
            model.setBlock(ClassifierBlocks.build(encoder, spec.labels().size()));
            model.load(dir, TextClassifier.MODEL_NAME);
            return new ClassifierModel(model, spec, encoder);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new IllegalStateException("Cannot load text classifier from " + dir + ": " + e.getMessage()
                    + ". Check that the directory holds " + TextClassifier.SPEC_FILE + " and "
                    + TextClassifier.MODEL_NAME + "-*.params written by cxml training", e);
        }
    }

    /** @return the spec saved with the weights (labels, encoder; temperature as saved) */
    public ClassifierSpec spec() {
        return spec;
    }

    /** @return the device the weights live on */
    public Device device() {
        return model.getNDManager().getDevice();
    }

    /**
     * @param calibration temperature and threshold to apply; labels and encoder must match the saved ones
     * @param topK how many labels each prediction lists
     * @return a new predictor for one thread (close it)
     */
    public Predictor<List<String>, List<Prediction>> newPredictor(ClassifierSpec calibration, int topK) {
        if (!calibration.labels().equals(spec.labels()) || !calibration.encoder().equals(spec.encoder())) {
            throw new IllegalArgumentException("Cannot predict with a spec whose labels or encoder differ from the "
                    + "loaded model's: reload the model directory the spec belongs to");
        }
        return model.newPredictor(new ClassifierTranslator(encoder.featurizer(), calibration, topK));
    }

    @Override
    public void close() {
        model.close();
    }
}
