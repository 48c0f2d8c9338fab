package io.cxml.training.eval;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/**
 * The report's PNG charts, drawn by XChart (docs/decisions.md): grouped bars, lines and a heatmap, every axis with
 * tick values, rendered headless. Values of bars and lines are fractions in [0, 1] unless stated.
 */
public final class Charts {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd)
    };
    private static final int HEIGHT = 440;
    private static final int MANY_CATEGORIES = 8;
    private static final int MAX_LABEL = 32;

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * Grouped vertical bars with values in [0, 1].
     *
     * @param title chart title
     * @param categories x categories
     * @param series series name to one value per category
     * @return PNG bytes
     */
    public static byte[] bars(String title, List<String> categories, Map<String, double[]> series) {
        int width = Math.max(640, 120 + categories.size() * (14 * series.size() + 12));
        boolean rotated = categories.size() > MANY_CATEGORIES;
        List<String> shown = categories.stream().map(Charts::shortLabel).toList();
        int longest = shown.stream().mapToInt(String::length).max().orElse(0);
        // Rotated labels take height below the axis: grow the chart so that the plot keeps its size.
        int height = rotated ? HEIGHT + 6 * longest : HEIGHT;
        CategoryChart chart = new CategoryChartBuilder().width(width).height(height).title(title).yAxisTitle("")
                .build();
        style(chart.getStyler());
        chart.getStyler().setAvailableSpaceFill(0.8).setOverlapped(false);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.00")
                .setXAxisLabelRotation(rotated ? 60 : 0);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> values = new ArrayList<>();
            for (double v : e.getValue()) {
                values.add(Math.max(0, Math.min(1, v)));
            }
            chart.addSeries(e.getKey(), shown, values);
        }
        return png(chart);
    }

    /**
     * Lines over a numeric x axis.
     *
     * @param title chart title
     * @param xLabel x axis name
     * @param x x values
     * @param series series name to y values (same length as x)
     * @param yMax y axis maximum (0 = from data)
     * @param diagonal draw the y = x reference line
     * @return PNG bytes
     */
    public static byte[] lines(String title, String xLabel, double[] x, Map<String, double[]> series, double yMax,
            boolean diagonal) {
        XYChart chart = new XYChartBuilder().width(640).height(HEIGHT).title(title).xAxisTitle(xLabel).build();
        style(chart.getStyler());
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line)
                .setXAxisDecimalPattern("0.##").setYAxisDecimalPattern("0.00").setYAxisMin(0.0);
        if (yMax > 0) {
            chart.getStyler().setYAxisMax(yMax);
        }
        if (x.length == 0) {
            x = new double[] {0};
            series = Map.of("(no data)", new double[] {0});
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            chart.addSeries(e.getKey(), x, e.getValue());
        }
        if (diagonal) {
            XYSeries ideal = chart.addSeries("perfect calibration", new double[] {0, 1}, new double[] {0, 1});
            ideal.setLineColor(Color.GRAY);
            ideal.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        }
        return png(chart);
    }

    /**
     * A confusion-matrix heatmap: each cell is its share of the row (gold label), so rare classes stay visible.
     *
     * @param title chart title
     * @param labels row and column labels
     * @param matrix counts, rows = gold
     * @return PNG bytes
     */
    public static byte[] heatmap(String title, List<String> labels, int[][] matrix) {
        int n = labels.size();
        int side = Math.max(520, Math.min(1400, 160 + n * 14));
        HeatMapChart chart = new HeatMapChartBuilder().width(side + 120).height(side).title(title)
                .xAxisTitle("predicted").yAxisTitle("gold").build();
        style(chart.getStyler());
        chart.getStyler().setShowValue(false).setMin(0).setMax(1)
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x9ecae1), new Color(0x08306b)});
        chart.getStyler().setXAxisLabelRotation(90);
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, n > 40 ? 8 : 11));
        List<Number[]> cells = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            long total = 0;
            for (int c = 0; c < n; c++) {
                total += matrix[r][c];
            }
            for (int c = 0; c < n; c++) {
                cells.add(new Number[] {c, n - 1 - r, total == 0 ? 0.0 : matrix[r][c] / (double) total});
            }
        }
        List<String> rows = new ArrayList<>(labels);
        java.util.Collections.reverse(rows);
        chart.addSeries("share of row", labels, rows, cells);
        return png(chart);
    }

    /**
     * @param names series names
     * @param values one array per name
     * @return the ordered map
     */
    public static Map<String, double[]> series(List<String> names, List<double[]> values) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            out.put(names.get(i), values.get(i));
        }
        return out;
    }

    private static String shortLabel(String label) {
        return label.length() <= MAX_LABEL ? label : label.substring(0, MAX_LABEL - 1) + "\u2026";
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderVisible(true)
                .setLegendPosition(Styler.LegendPosition.OutsideS).setLegendLayout(Styler.LegendLayout.Horizontal)
                .setSeriesColors(PALETTE).setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14))
                .setAntiAlias(true);
    }

    private static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot draw chart '" + chart.getTitle() + "': " + e.getMessage(), e);
        }
    }
}
