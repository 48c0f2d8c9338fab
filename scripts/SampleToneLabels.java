import io.cxml.training.data.SentimentWeakLabels;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Writes the held-out window of an ingested sample as labelled Parquet files whose label is the hidden tone
 * ({@code _truth.tone}), for {@code cxml evaluate sentiment}: the accuracy it reports is the sentiment model's
 * agreement with the tone. Window: tickets created at or after the 0.9 quantile of creation times (the newest 10%,
 * as the default time split). Files: {@code all/} (every ticket in the window) and {@code follow-ups/} (tickets
 * where the customer wrote again, the only ones whose text can show a tone). Run by
 * scripts/measure-sample-sentiment.sh.
 */
public final class SampleToneLabels {
    public static void main(String[] args) {
        String root = args[0];
        String out = args[1];
        SparkSession spark = SparkSession.builder().master("local[2]").appName("sample-tone-labels")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        Dataset<Row> curated = spark.read().parquet(root + "/curated/interactions");
        Dataset<Row> truth = spark.read().json(root + "/raw/interactions")
                .where(functions.col("_truth.tone").isNotNull())
                .select(functions.col("ticket_id"), functions.col("_truth.tone").as("tone")).distinct();
        double cut = curated.select(functions.col("created_at").cast("double").as("s")).stat()
                .approxQuantile("s", new double[] {0.9}, 0.0001)[0];
        Dataset<Row> window = curated.where(functions.col("created_at").cast("double").geq(cut))
                .join(truth, "ticket_id")
                .select(SentimentWeakLabels.customerText().as("text"), functions.col("tone").as("label"),
                        functions.col("true_language").as("language"), functions.col("account_id").as("tenant"),
                        functions.col("customer_message_count"));
        window.drop("customer_message_count").write().mode("overwrite").parquet(out + "/all");
        window.where(functions.col("customer_message_count").gt(1)).drop("customer_message_count").write()
                .mode("overwrite").parquet(out + "/follow-ups");
        System.out.println("tone-labelled held-out window written to " + out);
        spark.stop();
    }
}
