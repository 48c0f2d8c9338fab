package io.cxml.features;

import io.cxml.contract.CuratedInteractions;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Random curated tickets for feature tests: small, seeded, with many equal timestamps on purpose. */
public final class CuratedFixtures {
    public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    public static final String[] TEXTS = {
        "My card was charged twice, please refund", "Ich kann mich nicht anmelden, Passwort vergessen",
        "Il pacco non è ancora arrivato", "Mijn bestelling is beschadigd aangekomen", "我的订单还没有发货",
        "注文をキャンセルしたいです", "Siparişim nerede kaldı", "Saya tidak bisa login ke akun saya",
        "Quiero cambiar mi dirección de envío", "Je voudrais annuler mon abonnement"};

    private CuratedFixtures() {}

    /** A simple ticket. */
    public record Ticket(String id, String account, String requester, Instant created, Instant updated, Instant solved,
            Integer csat, boolean reopened, boolean escalated, String team, String text, String channel) {}

    /**
     * @param count tickets
     * @param days span of creation times
     * @param seed random seed
     * @return tickets across 3 accounts, about count/15 requesters, times on a 10-minute grid
     */
    public static List<Ticket> random(int count, int days, long seed) {
        Random r = new Random(seed);
        List<Ticket> tickets = new ArrayList<>();
        int requesters = Math.max(5, count / 15);
        for (int i = 0; i < count; i++) {
            int req = r.nextInt(requesters);
            String account = "acc" + (req % 3);
            Instant created = START.plus(Duration.ofMinutes(10L * r.nextInt(days * 24 * 6)));
            Instant updated = r.nextInt(10) == 0 ? created : created.plus(Duration.ofMinutes(10L * r.nextInt(1500)));
            Instant solved = null;
            int s = r.nextInt(10);
            if (s < 5) {
                solved = updated; // solved by the last update
            } else if (s < 8) {
                solved = created.plus(Duration.between(created, updated).dividedBy(2)); // later rated/touched
            }
            Integer csat = r.nextInt(10) < 4 ? null : 1 + r.nextInt(5);
            String team = r.nextInt(7) == 0 ? null : account + "-team" + r.nextInt(4);
            tickets.add(new Ticket(String.format("T%05d", i), account, r.nextInt(40) == 0 ? null : "req" + req,
                    created, updated, solved, csat, r.nextInt(10) == 0, r.nextInt(7) == 0, team,
                    TEXTS[r.nextInt(TEXTS.length)], r.nextBoolean() ? "email" : "chat"));
        }
        return tickets;
    }

    public static Dataset<Row> toCurated(SparkSession spark, List<Ticket> tickets) {
        List<Row> rows = new ArrayList<>();
        long line = 1;
        for (Ticket t : tickets) {
            rows.add(RowFactory.create(t.id(), t.account(), t.requester(), t.channel(), "normal", ts(t.created()),
                    ts(t.updated()), ts(t.solved()), "", t.text(), t.text(), 1, 1, List.of(), List.of(), t.team(),
                    t.csat(), t.reopened(), t.escalated(), null, null, null, null, "fixture.jsonl", line++,
                    Date.valueOf(t.created().atZone(ZoneOffset.UTC).toLocalDate())));
        }
        return spark.createDataFrame(rows, CuratedInteractions.SCHEMA);
    }

    public static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
