package io.cxml.runtime.stages;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * The one partition loop of every cxml stage, whatever it scores: the partition's rows are taken in batches (at most
 * {@code batchSize} held at once), the task's scorer is opened on the executor when the first batch arrives, and each
 * row leaves with the scorer's values appended, in order. Stages differ only in their {@link Scorer}.
 */
public final class AppendColumns implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    /** Opens the scoring of one task, on the executor. It travels in the task closure, so it holds only settings. */
    @FunctionalInterface
    public interface Scorer extends Serializable {
        /** @return the task's batch scorer (resources it opens are the task's: close them on task completion) */
        Batch open();
    }

    /** Scores one batch of a task. */
    @FunctionalInterface
    public interface Batch {
        /**
         * @param rows the batch's input rows
         * @return one array of appended values per row, in the rows' order
         */
        List<Object[]> score(List<Row> rows);

        /**
         * @param row scores one row: the values appended to it
         * @return a batch scorer that scores row by row
         */
        static Batch eachRow(Function<Row, Object[]> row) {
            return rows -> {
                List<Object[]> out = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    out.add(row.apply(r));
                }
                return out;
            };
        }
    }

    private final Scorer scorer;
    private final int batchSize;

    private AppendColumns(Scorer scorer, int batchSize) {
        this.scorer = scorer;
        this.batchSize = batchSize;
    }

    /**
     * @param rows the input
     * @param schema the output schema: the input's columns, then the appended ones
     * @param batchSize rows per batch (1 for scorers that work row by row)
     * @param scorer what each task scores with
     * @return the rows with the scorer's values appended
     */
    public static Dataset<Row> apply(Dataset<?> rows, StructType schema, int batchSize, Scorer scorer) {
        return rows.toDF().mapPartitions(new AppendColumns(scorer, Math.max(1, batchSize)), Encoders.row(schema));
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        Batch[] task = new Batch[1];
        return inBatches(rows, batchSize, batch -> {
            if (task[0] == null) {
                task[0] = scorer.open();
            }
            List<Object[]> values = task[0].score(batch);
            List<Row> out = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                out.add(append(batch.get(i), values.get(i)));
            }
            return out;
        });
    }

    private static Row append(Row row, Object[] values) {
        Object[] out = new Object[row.size() + values.length];
        for (int i = 0; i < row.size(); i++) {
            out[i] = row.get(i);
        }
        System.arraycopy(values, 0, out, row.size(), values.length);
        return RowFactory.create(out);
    }

    /**
     * Maps an iterator batch by batch, lazily: at most {@code size} inputs are held at once.
     *
     * @param input the input
     * @param size batch size
     * @param batch maps one batch to the same number of outputs, in order
     * @param <T> input type
     * @param <R> output type
     * @return the outputs
     */
    private static <T, R> Iterator<R> inBatches(Iterator<T> input, int size, Function<List<T>, List<R>> batch) {
        return new Iterator<>() {
            private Iterator<R> current = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && input.hasNext()) {
                    List<T> chunk = new ArrayList<>(size);
                    while (chunk.size() < size && input.hasNext()) {
                        chunk.add(input.next());
                    }
                    current = batch.apply(chunk).iterator();
                }
                return current.hasNext();
            }

            @Override
            public R next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
    }
}
