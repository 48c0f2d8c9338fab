package io.cxml.training.routing;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.cxml.runtime.model.TextClassifier;
import io.cxml.runtime.routing.RoutingTrainingOptions;
import io.cxml.runtime.routing.TenantModel;
import java.util.List;
import java.util.Random;

/**
 * Trains one routing model on the DJL engine: a linear softmax layer over the routing features, softmax
 * cross-entropy (each example weighted), AdamW, mini-batches in a seeded order.
 *
 * <p>The gradient of a linear softmax layer has a closed form ({@code (softmax(xW^T + b) - onehot(y))^T x / n}), so
 * it is computed with NDArray operations instead of autograd: DJL's PyTorch engine allows one gradient collector per
 * JVM at a time, and an executor trains many tenants at once, one per task thread. Weights start at zero (the
 * problem is convex), so the result depends only on the examples, their order and the options.
 */
public final class LinearRoutingTrainer {
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private LinearRoutingTrainer() {}

    /**
     * @param x input vectors, all of one length
     * @param y team index of each vector
     * @param weight weight of each example (null: all 1)
     * @param teams the teams (output classes)
     * @param options training settings
     * @param device where to train
     * @param seed seed of the example order (per tenant, so tenants do not share one sequence)
     * @return the trained model
     */
    public static TenantModel train(float[][] x, int[] y, float[] weight, List<String> teams,
            RoutingTrainingOptions options, Device device, long seed) {
        int n = x.length;
        int dim = x[0].length;
        int t = teams.size();
        if (t == 1) { // nothing to learn: the only team, always
            return new TenantModel(teams, dim, new float[dim], new float[] {0f});
        }
        float[] flat = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x[i], 0, flat, i * dim, dim);
        }
        try (NDManager manager = NDManager.newBaseManager(device, TextClassifier.ENGINE)) {
            NDArray all = manager.create(flat, new Shape(n, dim));
            NDArray labels = manager.create(y);
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            NDArray weights = manager.create(weight == null ? ones : weight);
            NDArray w = manager.zeros(new Shape(t, dim));
            NDArray b = manager.zeros(new Shape(t));
            NDArray mw = manager.zeros(new Shape(t, dim));
            NDArray vw = manager.zeros(new Shape(t, dim));
            NDArray mb = manager.zeros(new Shape(t));
            NDArray vb = manager.zeros(new Shape(t));
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Random random = new Random(seed);
            int batch = Math.min(options.batchSize(), n);
            int step = 0;
            float lr = options.learningRate();
            float decay = options.weightDecay();
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                shuffle(order, random);
                for (int from = 0; from < n; from += batch) {
                    int to = Math.min(n, from + batch);
                    step++;
                    try (NDManager scope = manager.newSubManager()) {
                        // Results attach to their operand's manager: lend the long-lived arrays to the step's scope
                        // so every intermediate of the step is freed with it (else they pile up until training
                        // ends: gigabytes of native memory for a large tenant or the global model).
                        scope.tempAttachAll(all, labels, weights, w, b, mw, vw, mb, vb);
                        NDArray rows = scope.create(java.util.Arrays.copyOfRange(order, from, to));
                        NDArray xb = all.get(rows);
                        NDArray yb = labels.get(rows).oneHot(t).toType(DataType.FLOAT32, false);
                        NDArray wb = weights.get(rows);
                        NDArray p = xb.matMul(w.transpose()).add(b).softmax(1);
                        NDArray d = p.sub(yb).mul(wb.div(wb.sum()).expandDims(1));
                        NDArray gw = d.transpose().matMul(xb);
                        NDArray gb = d.sum(new int[] {0});
                        float c1 = 1 - (float) Math.pow(BETA1, step);
                        float c2 = 1 - (float) Math.pow(BETA2, step);
                        adamW(w, gw, mw, vw, lr, decay, c1, c2);
                        adamW(b, gb, mb, vb, lr, 0f, c1, c2);
                    }
                }
            }
            return new TenantModel(teams, dim, w.toFloatArray(), b.toFloatArray());
        }
    }

    /** One AdamW update in place (decoupled weight decay, bias-corrected moments). */
    private static void adamW(NDArray param, NDArray grad, NDArray m, NDArray v, float lr, float decay, float c1,
            float c2) {
        m.muli(BETA1).addi(grad.mul(1 - BETA1));
        v.muli(BETA2).addi(grad.square().muli(1 - BETA2));
        NDArray update = m.div(c1).divi(v.div(c2).sqrt().addi(EPSILON));
        if (decay > 0) {
            update.addi(param.mul(decay));
        }
        param.subi(update.muli(lr));
    }

    private static void shuffle(int[] a, Random r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }
}
