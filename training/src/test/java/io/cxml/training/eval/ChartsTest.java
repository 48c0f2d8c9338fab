package io.cxml.training.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Every chart kind renders headless to a PNG of the expected size, also for many categories and empty input. */
class ChartsTest {
    @Test
    void barsLinesAndHeatmapRenderAsPng() throws Exception {
        List<String> many = java.util.stream.IntStream.range(0, 25).mapToObj(i -> "class_" + i).toList();
        double[] values = many.stream().mapToDouble(s -> (s.hashCode() & 0xff) / 255.0).toArray();
        BufferedImage bars = image(Charts.bars("F1", many, Charts.series(List.of("F1"), List.of(values))));
        assertThat(bars.getWidth()).isGreaterThanOrEqualTo(640);
        // 25 rotated labels of 8 characters: taller than the 440 px of a chart with flat labels.
        assertThat(bars.getHeight()).isEqualTo(440 + 6 * 8);
        assertThat(image(Charts.bars("Overall", List.of("accuracy", "macro-F1"),
                Charts.series(List.of("model"), List.of(new double[] {0.9, 0.8})))).getHeight()).isEqualTo(440);

        double[] x = {0.05, 0.15, 0.25};
        BufferedImage lines = image(Charts.lines("Reliability", "confidence", x,
                Charts.series(List.of("before"), List.of(new double[] {0.1, 0.2, 0.3})), 1.0, true));
        assertThat(lines.getWidth()).isEqualTo(640);
        assertThat(image(Charts.lines("Empty", "x", new double[0], Charts.series(List.of(), List.of()), 0, false)))
                .isNotNull();

        int[][] confusion = {{5, 1, 0}, {0, 3, 2}, {0, 0, 0}};
        BufferedImage heat = image(Charts.heatmap("Confusion", List.of("a", "b", "c"), confusion));
        assertThat(heat.getHeight()).isEqualTo(520);
        // Room for the colour scale beside the square plot.
        assertThat(heat.getWidth()).isGreaterThan(heat.getHeight());
    }

    private static BufferedImage image(byte[] png) throws Exception {
        assertThat(png).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).isNotNull();
        return image;
    }
}
