package io.cxml.jobs.sample;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxml.storage.StorageLayout;
import io.cxml.testing.LocalSpark;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleGeneratorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static SampleSpec spec(long seed, double badShare) {
        return SampleSpec.builder().setTickets(4000).setAccounts(12).setDays(14).setSeed(seed)
                .setStartDate(LocalDate.parse("2026-03-01")).setBadRecordShare(badShare).setDuplicateShare(0.02)
                .setTicketsPerTask(1500).build();
    }

    private SampleStats generate(Path root, SampleSpec spec) {
        return new SampleGenerator(LocalSpark.get(), StorageLayout.of(root.toString())).generate(spec);
    }

    private static Map<String, String> digests(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        Path export = root.resolve("raw/interactions");
        try (Stream<Path> files = Files.walk(export)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                out.put(export.relativize(f).toString(), HexFormat.of().formatHex(hash));
            }
        }
        return out;
    }

    private static List<String> lines(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root.resolve("raw/interactions"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    out.addAll(text.lines().toList());
                }
            }
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        generate(tmp.resolve("a"), spec(7, 0.02));
        generate(tmp.resolve("b"), spec(7, 0.02));
        generate(tmp.resolve("c"), spec(8, 0.02));

        Map<String, String> a = digests(tmp.resolve("a"));
        assertThat(a).hasSizeGreaterThan(14).isEqualTo(digests(tmp.resolve("b")));
        assertThat(digests(tmp.resolve("c"))).isNotEqualTo(a);
    }

    @Test
    void exportLooksLikeRealMultiTenantMultilingualHistory() throws Exception {
        SampleStats stats = generate(tmp, spec(42, 0.0));
        List<String> lines = lines(tmp);
        assertThat(lines).hasSize((int) stats.lines);

        Set<String> languages = new HashSet<>();
        Map<String, Set<String>> teamsByAccount = new HashMap<>();
        Map<String, Integer> ticketsByRequester = new HashMap<>();
        Set<String> ticketIds = new HashSet<>();
        int multiMessage = 0;
        int rated = 0;
        for (String line : lines) {
            JsonNode t = JSON.readTree(line);
            languages.add(t.path("_truth").path("language").asText());
            teamsByAccount.computeIfAbsent(t.get("account_id").asText(), k -> new HashSet<>())
                    .add(t.get("assigned_group").asText());
            if (ticketIds.add(t.get("ticket_id").asText())) {
                ticketsByRequester.merge(t.get("requester_id").asText(), 1, Integer::sum);
            }
            multiMessage += t.get("messages").size() > 1 ? 1 : 0;
            rated += t.get("csat").isNull() ? 0 : 1;
        }
        assertThat(ticketIds).hasSize(4000);
        assertThat(languages).hasSizeGreaterThanOrEqualTo(6).contains("en");
        assertThat(teamsByAccount).hasSize(12);
        assertThat(teamsByAccount.values()).allSatisfy(teams -> assertThat(teams).hasSizeGreaterThanOrEqualTo(2));
        assertThat(ticketsByRequester.values().stream().filter(n -> n > 1).count())
                .as("repeat customers").isGreaterThan(100);
        // Every ticket gets an agent reply, unless the export was taken before it came.
        assertThat(multiMessage).isGreaterThan(lines.size() * 95 / 100);
        assertThat(rated).isBetween(lines.size() / 5, lines.size() * 3 / 5);
        assertThat(stats.supersededVersions).as("reopened tickets exported twice").isPositive();
    }

    @Test
    void badLinesOfEveryKindAreMixedIn() throws Exception {
        SampleStats stats = generate(tmp, spec(3, 0.2));

        assertThat(stats.badLines.keySet()).containsExactlyInAnyOrder(TicketFactory.BAD_KINDS);
        assertThat(stats.badTotal()).isBetween(600L, 1000L);
        long unparsable = lines(tmp).stream().filter(l -> {
            try {
                JSON.readTree(l);
                return false;
            } catch (IOException e) {
                return true;
            }
        }).count();
        assertThat(unparsable).isEqualTo(stats.badLines.get("malformed_json"));
        assertThat(Files.readString(tmp.resolve("raw/interactions/" + SampleManifest.FILE_NAME)))
                .contains("\"bad_lines\"").contains("\"seed\" : 3");
    }

    /** The latest version of every ticket, by ticket id. */
    private static Map<String, JsonNode> latest(List<String> lines) throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        for (String line : lines) {
            JsonNode t = JSON.readTree(line);
            out.merge(t.get("ticket_id").asText(), t, (a, b) ->
                    a.get("updated_at").asText().compareTo(b.get("updated_at").asText()) >= 0 ? a : b);
        }
        return out;
    }

    /** The weak-label rule of the sentiment model, on a raw ticket (null: no label). */
    private static String weakLabel(JsonNode t) {
        boolean rated = t.get("csat").isInt();
        int csat = t.get("csat").asInt();
        if ((rated && csat <= 2) || t.get("escalated").asBoolean()) {
            return Tone.NEGATIVE.label();
        }
        if (rated && csat >= 4 && !t.get("reopened").asBoolean()) {
            return Tone.POSITIVE.label();
        }
        return rated && csat == 3 ? Tone.NEUTRAL.label() : null;
    }

    private static double weakLabelAgreesWithTone(Map<String, JsonNode> tickets) {
        long labelled = 0;
        long agree = 0;
        for (JsonNode t : tickets.values()) {
            String weak = weakLabel(t);
            if (weak != null) {
                labelled++;
                agree += weak.equals(t.path("_truth").path("tone").asText()) ? 1 : 0;
            }
        }
        return (double) agree / labelled;
    }

    private static List<JsonNode> customerMessages(JsonNode t) {
        List<JsonNode> out = new ArrayList<>();
        t.get("messages").forEach(m -> {
            if ("customer".equals(m.get("author").asText())) {
                out.add(m);
            }
        });
        return out;
    }

    @Test
    void followUpsCarryAToneThatTracksTheOutcomeInEveryLanguage() throws Exception {
        SampleSpec spec = spec(42, 0.0);
        generate(tmp.resolve("tone"), spec);
        generate(tmp.resolve("none"), spec.toBuilder().setBadRecordShare(0.0).optToneStrength(0.0).build());
        Map<String, JsonNode> tickets = latest(lines(tmp.resolve("tone")));

        // The weak labels follow the tone (strength 0.8: 0.8 + 0.2/3 by construction, less where they differ) ...
        double agreement = weakLabelAgreesWithTone(tickets);
        assertThat(agreement).isBetween(0.78, 0.92);
        // ... and without strength they agree by chance only.
        assertThat(weakLabelAgreesWithTone(latest(lines(tmp.resolve("none"))))).isBetween(0.25, 0.45);

        Map<String, double[]> csatByTone = new TreeMap<>(); // sum, count, escalated, tickets
        Map<String, int[]> toneShownByLanguage = new TreeMap<>(); // follow-ups with their tone's phrase, follow-ups
        PhraseBank bank = SampleCorpus.load().phrases();
        for (JsonNode t : tickets.values()) {
            String tone = t.path("_truth").path("tone").asText();
            String language = t.path("_truth").path("language").asText();
            double[] c = csatByTone.computeIfAbsent(tone, k -> new double[4]);
            if (t.get("csat").isInt()) {
                c[0] += t.get("csat").asInt();
                c[1]++;
            }
            c[2] += t.get("escalated").asBoolean() ? 1 : 0;
            c[3]++;
            List<JsonNode> said = customerMessages(t);
            if (said.size() > 1) {
                java.util.Locale locale = java.util.Locale.forLanguageTag(language);
                Tone expected = Tone.valueOf(tone.toUpperCase(java.util.Locale.ROOT));
                boolean shown = false;
                for (JsonNode message : said.subList(1, said.size())) {
                    String followUp = message.get("body").asText().toLowerCase(locale);
                    for (int k = 0; k < 10; k++) {
                        shown |= followUp.contains(bank.tonePhrase(language, expected, k).toLowerCase(locale));
                    }
                }
                int[] n = toneShownByLanguage.computeIfAbsent(language, k -> new int[2]);
                n[0] += shown ? 1 : 0;
                n[1]++;
            }
        }
        double negative = csatByTone.get("negative")[0] / csatByTone.get("negative")[1];
        double neutral = csatByTone.get("neutral")[0] / csatByTone.get("neutral")[1];
        double positive = csatByTone.get("positive")[0] / csatByTone.get("positive")[1];
        assertThat(neutral).as("mean CSAT by tone").isGreaterThan(negative + 0.2);
        assertThat(positive).isGreaterThan(neutral + 0.5);
        double escalatedNegative = csatByTone.get("negative")[2] / csatByTone.get("negative")[3];
        double escalatedPositive = csatByTone.get("positive")[2] / csatByTone.get("positive")[3];
        assertThat(escalatedNegative).as("escalation rate by tone").isGreaterThan(5 * escalatedPositive);
        assertThat(toneShownByLanguage.keySet()).hasSizeGreaterThanOrEqualTo(6);
        // Every follow-up shows its tone, except a happy customer's bare "it happened again" on reopening.
        assertThat(toneShownByLanguage).allSatisfy((language, n) ->
                assertThat(n[0]).as("follow-ups in %s showing their tone", language).isGreaterThan(n[1] * 95 / 100));
    }

    @Test
    void ticketsUseOnlySentencesAtHomeOnTheirCreationDay() throws Exception {
        SampleSpec spec = spec(5, 0.0);
        generate(tmp, spec);
        SampleCorpus corpus = SampleCorpus.load();
        UtteranceHomes homes = new UtteranceHomes(corpus, spec.days(), spec.seed());
        Set<String> sentences = new HashSet<>();
        for (JsonNode t : latest(lines(tmp)).values()) {
            String id = t.path("_truth").path("sentence").asText();
            int l = corpus.languageIndex(id.substring(0, id.indexOf('/')));
            String intent = id.substring(id.indexOf('/') + 1, id.lastIndexOf('/'));
            int s = Integer.parseInt(id.substring(id.lastIndexOf('/') + 1));
            int i = 0;
            while (!corpus.intent(l, i).equals(intent)) {
                i++;
            }
            assertThat(corpus.utteranceCount(l, i)).isGreaterThanOrEqualTo(UtteranceHomes.MIN_POOL);
            long day = java.time.temporal.ChronoUnit.DAYS.between(spec.startDate(),
                    java.time.Instant.parse(t.get("created_at").asText()).atZone(java.time.ZoneOffset.UTC)
                            .toLocalDate());
            int[] home = homes.homeDays(l, i, s);
            assertThat(day).as(id).isBetween((long) home[0], (long) home[1]);
            sentences.add(id);
        }
        assertThat(sentences).hasSizeGreaterThan(1000);
    }

    @Test
    void openingsVaryTheWayRealTicketsDo() throws Exception {
        generate(tmp, spec(9, 0.0));
        SampleCorpus corpus = SampleCorpus.load();
        Set<String> verbatim = new HashSet<>();
        for (int l = 0; l < corpus.languages().length; l++) {
            for (int i = 0; i < corpus.intentCount(l); i++) {
                for (int s = 0; s < corpus.utteranceCount(l, i); s++) {
                    verbatim.add(corpus.utterance(l, i, s));
                }
            }
        }
        int chats = 0;
        int asIs = 0;
        int lowerCase = 0;
        int productNamedInAnotherLanguage = 0;
        for (JsonNode t : latest(lines(tmp)).values()) {
            String first = customerMessages(t).get(0).get("body").asText();
            if (!"chat".equals(t.get("channel").asText())) {
                continue;
            }
            chats++;
            asIs += verbatim.contains(first) ? 1 : 0;
            lowerCase += first.equals(first.toLowerCase(java.util.Locale.ROOT)) && !verbatim.contains(first) ? 1 : 0;
            productNamedInAnotherLanguage += !"en".equals(t.path("_truth").path("language").asText())
                    && first.matches(".*(NovaPay|Brightbank|HomeHub|Streamly|TripMate|CardPlus|Lumo|ParcelGo|Fitly"
                            + "|SmartHome Pro|Quickloan|Echo Speaker).*") ? 1 : 0;
        }
        assertThat(chats).isGreaterThan(800);
        assertThat((double) asIs / chats).as("openings that are the corpus sentence as it is").isBetween(0.25, 0.6);
        assertThat(lowerCase).as("typed in lower case").isGreaterThan(chats / 20);
        assertThat(productNamedInAnotherLanguage).as("code-switched product names").isGreaterThan(20);
    }
}
