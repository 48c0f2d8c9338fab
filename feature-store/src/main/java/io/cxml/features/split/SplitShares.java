package io.cxml.features.split;

/**
 * The shares of rows held out by a split, the one meaning of "validation" and "test" sizes everywhere in cxml (the
 * training-set builder, the trainers, the config): {@code validation = 0.1, test = 0.1} is 80 % train, 10 %
 * validation, 10 % test. By time, the test window is the newest {@code test} share of rows and the validation window
 * the {@code validation} share just before it.
 *
 * @param validation share of rows for validation (early stopping, calibration), in (0, 1)
 * @param test share of rows held out for evaluation, in [0, 1); 0 carves no test set
 */
public record SplitShares(double validation, double test) {
    /** The default: 10 % validation, 10 % test. */
    public static final SplitShares DEFAULT = new SplitShares(0.1, 0.1);

    /** Checks that some rows are left to train on. */
    public SplitShares {
        if (!(validation > 0 && test >= 0 && validation + test < 1)) {
            throw new IllegalArgumentException("Cannot split with validation share " + validation + " and test share "
                    + test + ": validation must be > 0, test >= 0 (0: no test carve, every other row trains), and "
                    + "they must sum to less than 1, e.g. 0.1 and 0.1");
        }
    }

    /** @return the share of rows left for training */
    public double train() {
        return 1 - validation - test;
    }
}
