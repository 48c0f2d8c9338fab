package io.cxml.runtime.executor;
import ai.djl.Device;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.cxml.runtime.model.ClassifierModel;
import io.cxml.runtime.model.ClassifierSpec;
import io.cxml.runtime.model.LengthBatches;
import io.cxml.runtime.model.Prediction;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;

/**
 * Scoring inside one Spark task: the task's device (its GPU when Spark assigned one), the JVM's shared model for
 * that device, a predictor of the task's own (closed when the task ends) and input fed to it in batches.
 */
public final class TaskScoring implements AutoCloseable {
    private final Predictor<List<String>, List<Prediction>> predictor;
    private final Device device;

    private TaskScoring(Predictor<List<String>, List<Prediction>> predictor, Device device) {
        this.predictor = predictor;
        this.device = device;
    }

    /**
     * Opens scoring for the current task; closed automatically when the task completes.
     *
     * @param source the model version
     * @param calibration labels, temperature and unknown threshold to predict with
     * @param topK labels per prediction
     * @param preference device preference
     * @return the task's scorer
     */
    public static TaskScoring open(ModelSource source, ClassifierSpec calibration, int topK,
            DevicePreference preference) {
        TaskContext task = TaskContext.get();
        Device device = DeviceSelector.select(preference, task == null ? Map.of() : task.resourcesJMap());
        ClassifierModel model = ModelCache.get(source, device);
        TaskScoring scoring = new TaskScoring(model.newPredictor(calibration, topK), device);
        if (task != null) {
            task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> scoring.close());
        }
        return scoring;
    }

    /** @return the device this task scores on */
    public Device device() {
        return device;
    }

    /**
     * @param texts one batch (ordered by length and cut into chunks inside, {@link LengthBatches})
     * @return one prediction per text, in order
     */
    public List<Prediction> predict(List<String> texts) {
        try {
            return LengthBatches.predict(predictor, texts);
        } catch (TranslateException e) {
            throw new IllegalStateException("Cannot score a batch of " + texts.size() + " texts: " + e.getMessage(),
                    e);
        }
    }

    @Override
    public void close() {
        predictor.close();
    }
}
