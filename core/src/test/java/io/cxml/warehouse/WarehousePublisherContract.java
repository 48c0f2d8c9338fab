package io.cxml.warehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxml.testing.LocalSpark;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The publishing contract, run against each warehouse server through its real JDBC driver. */
abstract class WarehousePublisherContract {
    static final int ROWS = 40;
    static final StructType SCHEMA = new StructType(new StructField[] {
        field("ticket_id", DataTypes.StringType, false, "Ticket id from the help desk."),
        field("model_version", DataTypes.StringType, false, "Intent model version that scored the ticket."),
        field("intent", DataTypes.StringType, true, "Predicted intent."),
        field("confidence", DataTypes.DoubleType, false, "Probability of the predicted intent."),
        field("top3", DataTypes.createArrayType(DataTypes.StringType), true, "Three most likely intents."),
        field("scored_at", DataTypes.TimestampType, true, "Scoring time (UTC)."),
    });

    final SparkSession spark = LocalSpark.get();

    abstract JdbcEndpoint endpoint();

    abstract WarehouseDialect dialect();

    /** fakesnow's MERGE cannot run inside a transaction: subclasses say how to run it. */
    PublishOptions.Builder options(String table) {
        return PublishOptions.builder().setTable(table).setKeyColumns("ticket_id", "model_version")
                .optTableComment("Scored tickets (test)").optLoadPartitions(2).optBatchSize(16);
    }

    WarehousePublisher publisher() {
        return new WarehousePublisher(endpoint(), dialect());
    }

    static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable, String c) {
        return new StructField(name, type, nullable, Metadata.empty()).withComment(c);
    }

    Dataset<Row> scored(int rows, String intentSuffix) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            out.add(RowFactory.create(String.format("T%04d", i), "intent-v1", "intent_" + (i % 5) + intentSuffix,
                    0.5 + (i % 50) / 100.0, List.of("a" + i % 3, "b", "c's"),
                    Timestamp.valueOf("2026-11-0" + (1 + i % 9) + " 10:00:00")));
        }
        return spark.createDataFrame(out, SCHEMA).repartition(3);
    }

    List<String> snapshot(String table) throws SQLException {
        List<String> rows = new ArrayList<>();
        String t = dialect().quote(dialect().identifier(table));
        try (Connection c = endpoint().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY 1, 2")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    sb.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i)).append(';');
                }
                rows.add(sb.toString().replaceAll("\\s+", ""));
            }
        }
        return rows;
    }

    List<String> stageTables() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = endpoint().connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables")) {
            while (rs.next()) {
                if (rs.getString(1).toUpperCase().contains("_STAGE_")) {
                    names.add(rs.getString(1));
                }
            }
        }
        return names;
    }

    @Test
    void publishingTheSameDataTwiceChangesNothing() throws Exception {
        Dataset<Row> data = scored(ROWS, "");

        PublishResult first = publisher().publish(data, options("scored_twice").build());
        List<String> after1 = snapshot("scored_twice");
        PublishResult second = publisher().publish(data, options("scored_twice").build());
        List<String> after2 = snapshot("scored_twice");

        assertThat(first.createdTable()).isTrue();
        assertThat(first.inserted()).isEqualTo(ROWS);
        assertThat(after1).hasSize(ROWS);
        assertThat(second.inserted()).isZero();
        assertThat(second.updated()).isZero();
        assertThat(second.unchanged()).isEqualTo(ROWS);
        assertThat(after2).isEqualTo(after1);
        assertThat(after1.get(3)).contains("c''s".replace("''", "'"));
        assertThat(stageTables()).isEmpty();
    }

    @Test
    void updatesChangedRowsInsertsNewOnesAndAddsColumns() throws Exception {
        publisher().publish(scored(ROWS, ""), options("scored_evolve").build());

        Dataset<Row> next = scored(ROWS + 5, "")
                .withColumn("intent", org.apache.spark.sql.functions.expr(
                        "case when ticket_id < 'T0010' then concat(intent, '_new') else intent end"))
                .withColumn("language", org.apache.spark.sql.functions.lit("en"));
        PublishResult r = publisher().publish(next, options("scored_evolve")
                .optColumnComment("language", "Detected language (ISO 639-1).").build());

        assertThat(r.addedColumns()).isEqualTo(1);
        assertThat(r.inserted()).isEqualTo(5);
        // Every existing row gets a language value, so all of them differ from the target.
        assertThat(r.updated()).isEqualTo(ROWS);
        List<String> rows = snapshot("scored_evolve");
        assertThat(rows).hasSize(ROWS + 5);
        assertThat(rows).filteredOn(s -> s.contains("_new")).hasSize(10);
        assertThat(rows).allMatch(s -> s.toUpperCase().contains("LANGUAGE=EN"));
        assertThat(publisher().publish(next, options("scored_evolve").build()).updated()).isZero();
        assertThat(stageTables()).isEmpty();
    }

    @Test
    void rejectsDuplicateAndNullKeysBeforeTouchingTheWarehouse() {
        Dataset<Row> twice = scored(3, "").union(scored(1, ""));
        assertThatThrownBy(() -> publisher().publish(twice, options("scored_dupes").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Cannot publish to scored_dupes: key [ticket_id, model_version] is not "
                        + "unique (1 duplicate row(s)");
        assertThatThrownBy(() -> publisher().publish(scored(3, ""), options("scored_dupes")
                .setKeyColumns("ticket_id", "no_such_column").build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key column");
    }
}
