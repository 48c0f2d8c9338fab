package io.cxml.inference.monitoring;

import static org.apache.spark.sql.functions.col;

import io.cxml.runtime.embedding.EmbeddingStore;
import io.cxml.training.baseline.SoftmaxRegression;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;

/**
 * Text drift from embeddings, before any label arrives: per slice (overall, each language, each tenant), a domain
 * classifier (logistic regression on the sentence embeddings) learns to tell the window's tickets from the
 * reference's on one half of them, and its ROC AUC on the other half says how separable they are: 0.5 when the
 * window asks what the reference asked, higher when a new kind of request appears (the method Evidently uses for
 * text). The AUC is judged against its floor: the larger of the 95th percentile of the AUC of the same scores under
 * random labels (a small slice's chance separability) and the reference's own churn, the AUC of the same classifier
 * telling the older half of the reference from the newer half (texts that always move a little are not drift unless
 * the window moved more). Each slice is fitted inside one Spark task;
 * only the figures come back.
 */
public final class TextDrift {
    /** Feature name of the findings. */
    public static final String FEATURE = "text_embedding";
    private static final int PERMUTATIONS = 200;
    private static final String SLICE = "_slice";
    private static final String SIDE = "_side";
    private static final String RANK = "_rank";

    /**
     * @param maxRowsPerSide most tickets of each side per slice (a seeded hash picks them)
     * @param minSliceTickets slices with fewer tickets on either side are not judged
     * @param warnMargin AUC above its noise floor at which a slice warns
     * @param alertMargin AUC above its noise floor at which a slice alerts
     * @param regParam the classifier's L2 strength
     * @param seed seed of the sampling, the halves and the permutations
     */
    public record Settings(int maxRowsPerSide, long minSliceTickets, double warnMargin, double alertMargin,
            double regParam, long seed) implements Serializable {}

    /**
     * One slice's figures.
     *
     * @param slice the slice
     * @param auc the classifier's held-out AUC
     * @param floor the larger of the AUC's 95th percentile under random labels and the reference's own churn
     * @param referenceRows reference tickets used
     * @param windowRows window tickets used
     */
    public record SliceAuc(String slice, double auc, double floor, long referenceRows, long windowRows)
            implements Serializable {}

    private TextDrift() {}

    /**
     * @param reference reference tickets: {@code ticket_id}, {@code language}, {@code tenant}, {@code embedding},
     *     {@code created_at}
     * @param window window tickets, the same columns
     * @param settings sampling, levels and seed
     * @param notJudged receives the slices left out, each with why
     * @return one finding per judged slice
     */
    public static List<DriftFinding> check(Dataset<Row> reference, Dataset<Row> window, Settings settings,
            List<String> notJudged) {
        Dataset<Row> both = reference.withColumn(SIDE, functions.lit(0))
                .unionByName(window.withColumn(SIDE, functions.lit(1)))
                .withColumn(SLICE, functions.explode(functions.array(functions.lit("overall"),
                        functions.concat(functions.lit("language="), functions.coalesce(col("language"),
                                functions.lit("(missing)"))),
                        functions.concat(functions.lit("tenant="), functions.coalesce(col("tenant"),
                                functions.lit("(missing)"))))));
        Dataset<Row> sampled = both
                .withColumn(RANK, functions.row_number().over(Window.partitionBy(SLICE, SIDE)
                        .orderBy(functions.xxhash64(col("ticket_id"), functions.lit(settings.seed())), col("ticket_id"))))
                .where(col(RANK).leq(settings.maxRowsPerSide()))
                .select(col(SLICE), col(SIDE), col(RANK), col("embedding"), col("created_at"));
        List<SliceAuc> figures = sampled.groupByKey((org.apache.spark.api.java.function.MapFunction<Row, String>)
                r -> r.getString(0), Encoders.STRING())
                .mapGroups(new FitSlice(settings), Encoders.javaSerialization(SliceAuc.class)).collectAsList();
        List<DriftFinding> out = new ArrayList<>();
        for (SliceAuc f : figures) {
            if (f.referenceRows() < settings.minSliceTickets() || f.windowRows() < settings.minSliceTickets()) {
                notJudged.add(f.slice() + " text: " + f.referenceRows() + " reference / " + f.windowRows()
                        + " window tickets with embeddings (< " + settings.minSliceTickets() + ")");
                continue;
            }
            double margin = f.auc() - f.floor();
            DriftLevel level = DriftLevel.of(Math.max(0, margin), settings.warnMargin(), settings.alertMargin());
            out.add(new DriftFinding(f.slice(), FEATURE, DriftFinding.DOMAIN_AUC, f.auc(), f.floor(), f.auc(),
                    f.referenceRows(), f.windowRows(), level));
        }
        out.sort(DriftResult.WORST_FIRST);
        return out;
    }

    /** Fits one slice's classifier in its task: even ranks train, odd ranks test. */
    private record FitSlice(Settings settings) implements MapGroupsFunction<String, Row, SliceAuc> {
        @Override
        public SliceAuc call(String slice, Iterator<Row> rows) {
            List<float[]> train = new ArrayList<>();
            List<Integer> trainSide = new ArrayList<>();
            List<float[]> test = new ArrayList<>();
            List<Integer> testSide = new ArrayList<>();
            long[] sides = new long[2];
            List<Row> ordered = new ArrayList<>();
            rows.forEachRemaining(r -> {
                if (!r.isNullAt(3)) {
                    ordered.add(r);
                }
            });
            // A fixed row order (side, seeded rank): the fit, and so the figures, repeat exactly.
            ordered.sort(java.util.Comparator.<Row>comparingInt(r -> r.getInt(1)).thenComparingInt(r -> r.getInt(2)));
            for (Row r : ordered) {
                float[] v = vector(r);
                int side = r.getInt(1);
                sides[side]++;
                boolean even = r.getInt(2) % 2 == 0;
                (even ? train : test).add(v);
                (even ? trainSide : testSide).add(side);
            }
            if (sides[0] < settings.minSliceTickets() || sides[1] < settings.minSliceTickets()
                    || test.isEmpty() || train.isEmpty()) {
                return new SliceAuc(slice, Double.NaN, Double.NaN, sides[0], sides[1]);
            }
            int[] labels = testSide.stream().mapToInt(Integer::intValue).toArray();
            double[] score = scores(train, trainSide, test);
            double auc = auc(score, labels);
            double churn = churn(ordered);
            Random random = new Random(settings.seed() ^ slice.hashCode());
            double[] nulls = new double[PERMUTATIONS];
            int[] shuffled = labels.clone();
            for (int p = 0; p < PERMUTATIONS; p++) {
                for (int i = shuffled.length - 1; i > 0; i--) {
                    int k = random.nextInt(i + 1);
                    int t = shuffled[i];
                    shuffled[i] = shuffled[k];
                    shuffled[k] = t;
                }
                nulls[p] = auc(score, shuffled);
            }
            java.util.Arrays.sort(nulls);
            double floor = Math.max(nulls[(int) Math.ceil(0.95 * PERMUTATIONS) - 1], churn);
            return new SliceAuc(slice, auc, floor, sides[0], sides[1]);
        }

        /**
         * How separable the reference is from itself over time: the AUC of the same classifier telling the older
         * half of the reference's tickets from the newer half. Texts that always change a little (new products,
         * wording, a sample whose sentences each have their days) are not drift unless the window differs more.
         */
        private double churn(List<Row> ordered) {
            List<Row> reference = new ArrayList<>();
            for (Row r : ordered) {
                if (r.getInt(1) == 0) {
                    reference.add(r);
                }
            }
            if (reference.size() < 8 || reference.get(0).isNullAt(4)) {
                return 0.5;
            }
            List<Row> byTime = new ArrayList<>(reference);
            byTime.sort(java.util.Comparator.<Row, java.sql.Timestamp>comparing(r -> r.getTimestamp(4))
                    .thenComparingInt(r -> r.getInt(2)));
            java.util.Map<Integer, Integer> half = new java.util.HashMap<>();
            for (int i = 0; i < byTime.size(); i++) {
                half.put(byTime.get(i).getInt(2), i < byTime.size() / 2 ? 0 : 1);
            }
            List<float[]> train = new ArrayList<>();
            List<Integer> trainHalf = new ArrayList<>();
            List<float[]> test = new ArrayList<>();
            List<Integer> testHalf = new ArrayList<>();
            for (Row r : reference) { // rank order, as the main fit
                boolean even = r.getInt(2) % 2 == 0;
                (even ? train : test).add(vector(r));
                (even ? trainHalf : testHalf).add(half.get(r.getInt(2)));
            }
            if (train.isEmpty() || test.isEmpty() || trainHalf.stream().distinct().count() < 2) {
                return 0.5;
            }
            return auc(scores(train, trainHalf, test), testHalf.stream().mapToInt(Integer::intValue).toArray());
        }

        private double[] scores(List<float[]> train, List<Integer> trainLabels, List<float[]> test) {
            SoftmaxRegression.Solution fit = SoftmaxRegression.fitDense(train.toArray(new float[0][]),
                    trainLabels.stream().mapToInt(Integer::intValue).toArray(), 2, settings.regParam(), true, 100,
                    1e-6);
            int dim = train.get(0).length;
            double[] score = new double[test.size()];
            for (int i = 0; i < score.length; i++) {
                double z = fit.intercepts()[1] - fit.intercepts()[0];
                for (int j = 0; j < dim; j++) {
                    z += (fit.coefficients()[dim + j] - fit.coefficients()[j]) * test.get(i)[j];
                }
                score[i] = z;
            }
            return score;
        }

        private static float[] vector(Row r) {
            return EmbeddingStore.vector(r, 3);
        }
    }

    /**
     * @param score a score per row (higher = more likely label 1)
     * @param label 0 or 1 per row
     * @return the ROC AUC (Mann-Whitney, ties counted half); 0.5 when a side is empty
     */
    static double auc(double[] score, int[] label) {
        Integer[] order = new Integer[score.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
        double rankSumPositive = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (label[order[k]] == 1) {
                    rankSumPositive += midRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = score.length - positives;
        if (positives == 0 || negatives == 0) {
            return 0.5;
        }
        return (rankSumPositive - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
