package io.cxml.bench.assist;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.cxml.assist.SuggestionSearch;
import io.cxml.assist.eval.TfIdfVectors;
import io.cxml.runtime.stages.EmbeddingStage;
import io.cxml.runtime.text.pretrained.PretrainedFolder;
import io.cxml.runtime.text.pretrained.SentenceEmbedder;
import io.cxml.training.data.LabelledText;
import io.cxml.training.data.PublicDatasets;
import io.cxml.training.data.Splits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Nearest-neighbour retrieval of agent assist on public data, through the product's exact search
 * ({@link SuggestionSearch}: the index as one tenant's solved tickets, the queries created after them), with the
 * encoder's vectors and with the TF-IDF baseline's:
 * <ul>
 *   <li>{@code banking77}: the carve of {@code ModelBench} (train.csv stratified by intent, seed 7); the train carve
 *       is the index, the test carve the queries: 1-NN and 5-NN (majority, ties by summed similarity) intent
 *       accuracy.</li>
 *   <li>{@code xsid}: the sentence-id split of {@code ModelBench}; the index holds the English training sentences
 *       only, the queries are the test sentences in every language: precision@1 of the intent per language.</li>
 * </ul>
 * Usage: {@code RetrievalBench banking77|xsid [dataDir]} with {@code -Dbench.encoder=FOLDER}
 * ({@code -Dbench.maxTokens=128 -Dbench.batch=64 -Dbench.out=bench-results/assist-<set>.json}).
 */
public final class RetrievalBench {
    private static final StructType QUERIES = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("created_at", "timestamp").add("_text", "string");
    private static final StructType INDEX = new StructType().add("ticket_id", "string").add("account_id", "string")
            .add("solved_at", "timestamp").add("_text", "string");

    private RetrievalBench() {}

    /**
     * @param args {@code banking77|xsid [dataDir]}
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String set = args.length > 0 ? args[0] : "banking77";
        Path data = Path.of(args.length > 1 ? args[1] : "datasets");
        String encoder = System.getProperty("bench.encoder");
        if (encoder == null) {
            throw new IllegalArgumentException("Cannot run the retrieval benchmark: set -Dbench.encoder=FOLDER (e.g. "
                    + "~/.cache/cxml/models/all-MiniLM-L6-v2)");
        }
        List<LabelledText> index;
        List<LabelledText> queries;
        if ("banking77".equals(set)) {
            Splits.Parts parts = Splits.stratified(PublicDatasets.banking77(
                    data.resolve("banking77/banking_data/train.csv")), 0.1, 0.1, 7);
            index = parts.train();
            queries = parts.test();
        } else if ("xsid".equals(set)) {
            Splits.Parts parts = io.cxml.bench.training.ModelBench.xsidSplit(
                    PublicDatasets.xsidSentences(data.resolve("xsid/valid")), 7);
            index = parts.train().stream().filter(t -> "en".equals(t.language())).toList();
            queries = parts.test();
        } else {
            throw new IllegalArgumentException("Cannot run the retrieval benchmark on '" + set + "': expected "
                    + "banking77 or xsid");
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("assist-retrieval")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        Dataset<Row> q = frame(spark, queries, "q", QUERIES, 1);
        Dataset<Row> ix = frame(spark, index, "i", INDEX, 0);

        long t0 = System.nanoTime();
        float[][] qv;
        float[][] iv;
        try (SentenceEmbedder embedder = new SentenceEmbedder(PretrainedFolder.open(Path.of(encoder)), Device.cpu(),
                Integer.getInteger("bench.batch", 64), Integer.getInteger("bench.maxTokens", 128))) {
            qv = embedder.embed(queries.stream().map(t -> EmbeddingStage.normalize(t.text())).toList());
            iv = embedder.embed(index.stream().map(t -> EmbeddingStage.normalize(t.text())).toList());
        }
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("set", set);
        result.put("encoder", encoder);
        result.put("index", index.size());
        result.put("queries", queries.size());
        result.put("embed_seconds", embedSeconds);
        SuggestionSearch search = new SuggestionSearch(5, 256, 4096, 1_000_000);
        result.put("embedding", score(search.search(withVectors(spark, q, qv), withVectors(spark, ix, iv), null),
                queries, index));
        TfIdfVectors tfidf = TfIdfVectors.fit(ix, "_text", 12);
        result.put("tfidf", score(search.search(tfidf.transform(q, "vector").drop("_text"),
                tfidf.transform(ix, "vector").drop("_text"), null), queries, index));
        String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
        System.out.println(json);
        Path out = Path.of(System.getProperty("bench.out", "bench-results/assist-" + set + ".json"));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, json);
        spark.stop();
    }

    private static Dataset<Row> frame(SparkSession spark, List<LabelledText> texts, String prefix, StructType schema,
            long hour) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            rows.add(RowFactory.create(prefix + i, "bench", new Timestamp(hour * 3_600_000L), texts.get(i).text()));
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Dataset<Row> withVectors(SparkSession spark, Dataset<Row> rows, float[][] vectors) {
        List<Row> out = new ArrayList<>();
        List<Row> in = rows.collectAsList();
        for (int i = 0; i < in.size(); i++) {
            Float[] v = io.cxml.runtime.embedding.EmbeddingStore.boxed(vectors[i]);
            out.add(RowFactory.create(in.get(i).get(0), in.get(i).get(1), in.get(i).get(2), v));
        }
        StructType schema = new StructType(java.util.Arrays.copyOf(rows.schema().fields(), 3))
                .add("vector", "array<float>");
        return spark.createDataFrame(out, schema);
    }

    /** 1-NN and 5-NN accuracy, overall and per language. */
    private static Map<String, Object> score(Dataset<Row> found, List<LabelledText> queries,
            List<LabelledText> index) {
        Map<Integer, List<Row>> byQuery = new HashMap<>();
        for (Row r : found.filter("kind = 'ticket' and rank > 0").select("ticket_id", "rank", "suggestion_id", "score")
                .collectAsList()) {
            byQuery.computeIfAbsent(Integer.parseInt(r.getString(0).substring(1)), x -> new ArrayList<>()).add(r);
        }
        Map<String, int[]> perLanguage = new TreeMap<>(); // language -> {n, top1, vote5}
        for (int i = 0; i < queries.size(); i++) {
            List<Row> hits = byQuery.getOrDefault(i, List.of());
            hits.sort(java.util.Comparator.comparingInt(r -> r.getInt(1)));
            String gold = queries.get(i).label();
            boolean top1 = !hits.isEmpty() && label(index, hits.get(0)).equals(gold);
            Map<String, double[]> votes = new HashMap<>();
            for (Row h : hits) {
                double[] v = votes.computeIfAbsent(label(index, h), x -> new double[2]);
                v[0]++;
                v[1] += h.getDouble(3);
            }
            String voted = votes.entrySet().stream().max(java.util.Comparator.<Map.Entry<String, double[]>>comparingDouble(
                    e -> e.getValue()[0]).thenComparingDouble(e -> e.getValue()[1])).map(Map.Entry::getKey)
                    .orElse("");
            for (String key : List.of("all", String.valueOf(queries.get(i).language()))) {
                int[] c = perLanguage.computeIfAbsent(key, x -> new int[3]);
                c[0]++;
                c[1] += top1 ? 1 : 0;
                c[2] += voted.equals(gold) ? 1 : 0;
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        perLanguage.forEach((language, c) -> out.put(language, Map.of("n", c[0], "precision_at_1",
                round((double) c[1] / c[0]), "knn5_accuracy", round((double) c[2] / c[0]))));
        return out;
    }

    private static String label(List<LabelledText> index, Row hit) {
        return index.get(Integer.parseInt(hit.getString(2).substring(1))).label();
    }

    private static double round(double x) {
        return Math.round(x * 10_000) / 10_000.0;
    }
}
