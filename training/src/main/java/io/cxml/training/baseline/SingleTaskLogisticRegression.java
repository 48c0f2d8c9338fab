package io.cxml.training.baseline;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.DenseMatrix;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark ML estimator of multinomial logistic regression (L2) that moves the training rows into one Spark task and
 * fits there with {@link SoftmaxRegression}: one shuffle of the sparse rows and one task result (the coefficients)
 * instead of MLlib's Spark job per L-BFGS evaluation, each shipping a dense classes x features gradient. It yields an
 * MLlib {@link LogisticRegressionModel}, so the fitted pipeline saves, loads and scores as before.
 *
 * <p>The rows and the solver's state must fit in the task's JVM: about 20 bytes per non-zero plus
 * {@link SoftmaxRegression.Problem#solverBytes} (120 bytes per coefficient: about 210 MB for 87 labels x 20,000
 * features); the task checks this before it starts and says what to change.
 */
public final class SingleTaskLogisticRegression extends Estimator<LogisticRegressionModel> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SingleTaskLogisticRegression.class);

    private final String uid = "singleTaskLogReg_" + UUID.randomUUID().toString().substring(24);
    private final String featuresCol;
    private final String labelCol;
    private final String probabilityCol;
    private final double regParam;
    private final int maxIter;
    private final double tol;
    private final boolean standardization;

    /**
     * @param featuresCol vector column
     * @param labelCol label index column (0 .. labels-1, e.g. a StringIndexer's)
     * @param probabilityCol output probability column of the model
     * @param regParam L2 strength
     * @param maxIter most L-BFGS iterations
     * @param tol relative-improvement tolerance
     * @param standardization whether the penalty applies to standardized coefficients (MLlib's meaning)
     */
    public SingleTaskLogisticRegression(String featuresCol, String labelCol, String probabilityCol, double regParam,
            int maxIter, double tol, boolean standardization) {
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.probabilityCol = probabilityCol;
        this.regParam = regParam;
        this.maxIter = maxIter;
        this.tol = tol;
        this.standardization = standardization;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public LogisticRegressionModel fit(Dataset<?> dataset) {
        long started = System.nanoTime();
        int maxIterations = maxIter;
        double reg = regParam;
        double tolerance = tol;
        boolean standardize = standardization;
        List<SoftmaxRegression.Solution> fitted = dataset
                .select(functions.col(featuresCol), functions.col(labelCol).cast("double")).repartition(1)
                .toJavaRDD().mapPartitions((Iterator<Row> rows) -> {
                    SoftmaxRegression.Problem problem = problem(rows);
                    return List.of(SoftmaxRegression.fit(problem, reg, standardize, maxIterations, tolerance))
                            .iterator();
                }).collect();
        SoftmaxRegression.Solution solution = fitted.get(0);
        int classes = solution.intercepts().length;
        int features = solution.coefficients().length / classes;
        LOG.info("baseline regression: {} labels x {} features on {} rows ({} non-zeros) fitted in one task: {} "
                + "iterations, {} passes over the rows{}, loss {}; solve {} s, {} s in all", classes, features,
                solution.rows(), solution.nonZeros(), solution.iterations(), solution.evaluations(),
                solution.converged() ? ", converged" : "", String.format("%.4f", solution.loss()),
                String.format("%.1f", solution.seconds()),
                String.format("%.1f", (System.nanoTime() - started) / 1e9));
        LogisticRegressionModel model = new LogisticRegressionModel(uid,
                new DenseMatrix(classes, features, solution.coefficients(), true),
                Vectors.dense(solution.intercepts()), classes, true);
        model.setFeaturesCol(featuresCol);
        model.setProbabilityCol(probabilityCol);
        return model.setParent(this);
    }

    /** Reads the partition's rows into CSR arrays, checking labels and memory first. */
    private static SoftmaxRegression.Problem problem(Iterator<Row> rows) {
        IntList starts = new IntList();
        IntList index = new IntList();
        DoubleList values = new DoubleList();
        IntList labels = new IntList();
        int width = -1;
        int classes = 0;
        starts.add(0);
        while (rows.hasNext()) {
            Row row = rows.next();
            if (row.isNullAt(0) || row.isNullAt(1)) {
                throw new IllegalArgumentException("Cannot fit the baseline: a training row has no features or "
                        + "no label");
            }
            Vector vector = row.getAs(0);
            double label = row.getDouble(1);
            if (label < 0 || label != Math.rint(label)) {
                throw new IllegalArgumentException("Cannot fit the baseline: label index " + label
                        + " is not a non-negative whole number");
            }
            if (width < 0) {
                width = vector.size();
            } else if (width != vector.size()) {
                throw new IllegalArgumentException("Cannot fit the baseline: feature vectors of sizes " + width
                        + " and " + vector.size());
            }
            SparseVector sparse = vector.toSparse();
            for (int i = 0; i < sparse.indices().length; i++) {
                index.add(sparse.indices()[i]);
                values.add(sparse.values()[i]);
            }
            starts.add(index.size());
            labels.add((int) label);
            classes = Math.max(classes, (int) label + 1);
        }
        if (labels.size() == 0) {
            throw new IllegalArgumentException("Cannot fit the baseline: no training rows");
        }
        long need = index.size() * 20L + SoftmaxRegression.Problem.solverBytes(width, classes);
        long heap = Runtime.getRuntime().maxMemory();
        if (need > heap * 0.6) {
            throw new IllegalStateException(String.format("Cannot fit the baseline in one task: %d rows and %d labels"
                    + " x %d features need about %d MB, more than 60%% of this JVM's %d MB heap. Give the executors "
                    + "(or, in local mode, the driver) more memory, or raise cxml.training.baseline.min-doc-freq / "
                    + "lower cxml.training.baseline.features", labels.size(), classes, width, need >> 20, heap >> 20));
        }
        return new SoftmaxRegression.Problem(width, classes, starts.toArray(), index.toArray(), values.toArray(),
                labels.toArray());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return new LogisticRegression().setFeaturesCol(featuresCol).setLabelCol(labelCol)
                .setProbabilityCol(probabilityCol).transformSchema(schema);
    }

    @Override
    public SingleTaskLogisticRegression copy(ParamMap extra) {
        return this; // no Spark params: its settings are final fields
    }

    /** A growable double array. */
    private static final class DoubleList {
        private double[] data = new double[1 << 12];
        private int size;

        void add(double v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }

    /** A growable int array (the rows arrive as an iterator of unknown length). */
    private static final class IntList {
        private int[] data = new int[1 << 12];
        private int size;

        void add(int v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
