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
        return new SampleSpec(4000, 12, 14, seed, LocalDate.parse("2026-03-01"), badShare, 0.02, 1500);
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
}
