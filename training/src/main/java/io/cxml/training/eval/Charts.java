package io.cxml.training.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Small PNG charts drawn with java.awt in headless mode (no chart library): bars, lines and a heatmap. */
public final class Charts {
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd)
    };

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
        int width = Math.max(640, 80 + categories.size() * (18 * series.size() + 14));
        int height = 420;
        BufferedImage image = canvas(width, height);
        Graphics2D g = graphics(image);
        int left = 50;
        int top = 40;
        int bottom = height - 110;
        int plotWidth = width - left - 20;
        frame(g, title, left, top, width - 20, bottom);
        double slot = plotWidth / (double) Math.max(1, categories.size());
        double barWidth = Math.max(3, (slot - 8) / Math.max(1, series.size()));
        int s = 0;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            g.setColor(PALETTE[s % PALETTE.length]);
            for (int c = 0; c < categories.size(); c++) {
                double v = clamp(entry.getValue()[c]);
                int x = (int) (left + c * slot + 4 + s * barWidth);
                int h = (int) ((bottom - top) * v);
                g.fillRect(x, bottom - h, (int) Math.max(2, barWidth - 1), h);
            }
            g.fillRect(left + 10 + s * 160, height - 22, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(entry.getKey(), left + 28 + s * 160, height - 12);
            s++;
        }
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        for (int c = 0; c < categories.size(); c++) {
            int x = (int) (left + c * slot + slot / 2);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(x, bottom + 6);
            rotated.rotate(Math.PI / 3);
            rotated.drawString(shorten(categories.get(c), 22), 0, 0);
            rotated.dispose();
        }
        return png(image, g);
    }

    /**
     * Line chart.
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
        int width = 640;
        int height = 420;
        BufferedImage image = canvas(width, height);
        Graphics2D g = graphics(image);
        int left = 60;
        int top = 40;
        int right = width - 20;
        int bottom = height - 70;
        double xMin = x.length == 0 ? 0 : x[0];
        double xMax = x.length == 0 ? 1 : x[x.length - 1];
        double max = yMax;
        if (max <= 0) {
            for (double[] ys : series.values()) {
                for (double y : ys) {
                    max = Math.max(max, Double.isFinite(y) ? y : 0);
                }
            }
            max = max == 0 ? 1 : max * 1.1;
        }
        frameScaled(g, title, left, top, right, bottom, max);
        g.setColor(Color.DARK_GRAY);
        g.drawString(xLabel + " (" + fmt(xMin) + " to " + fmt(xMax) + ")", left, bottom + 30);
        if (diagonal) {
            g.setColor(Color.LIGHT_GRAY);
            g.drawLine(left, bottom, right, top);
        }
        int s = 0;
        double span = xMax - xMin == 0 ? 1 : xMax - xMin;
        for (Map.Entry<String, double[]> entry : series.entrySet()) {
            g.setColor(PALETTE[s % PALETTE.length]);
            g.setStroke(new BasicStroke(2f));
            double[] ys = entry.getValue();
            int px = -1;
            int py = -1;
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(ys[i])) {
                    continue;
                }
                int cx = (int) (left + (x[i] - xMin) / span * (right - left));
                int cy = (int) (bottom - Math.min(1, ys[i] / max) * (bottom - top));
                g.fillOval(cx - 3, cy - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, cx, cy);
                }
                px = cx;
                py = cy;
            }
            g.fillRect(left + 10 + s * 190, height - 22, 12, 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(entry.getKey(), left + 28 + s * 190, height - 12);
            s++;
        }
        return png(image, g);
    }

    /**
     * Heatmap of a square count matrix, each row normalized by its total (so colour = recall share).
     *
     * @param title chart title
     * @param labels row and column labels
     * @param matrix counts, rows = gold
     * @return PNG bytes
     */
    public static byte[] heatmap(String title, List<String> labels, int[][] matrix) {
        int k = labels.size();
        int cell = Math.max(6, Math.min(28, 700 / Math.max(1, k)));
        int left = 170;
        int top = 40;
        int width = left + k * cell + 20;
        int height = top + k * cell + 150;
        BufferedImage image = canvas(width, height);
        Graphics2D g = graphics(image);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.min(11, cell - 1))));
        for (int r = 0; r < k; r++) {
            int total = 0;
            for (int c = 0; c < k; c++) {
                total += matrix[r][c];
            }
            for (int c = 0; c < k; c++) {
                double share = total == 0 ? 0 : matrix[r][c] / (double) total;
                int shade = (int) (255 * (1 - Math.sqrt(share)));
                g.setColor(r == c ? new Color(shade, shade, 255) : new Color(255, shade, shade));
                g.fillRect(left + c * cell, top + r * cell, cell, cell);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawString(shorten(labels.get(r), 26), 4, top + r * cell + cell - 2);
        }
        for (int c = 0; c < k; c++) {
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.translate(left + c * cell + cell / 2, top + k * cell + 4);
            rotated.rotate(Math.PI / 2);
            rotated.drawString(shorten(labels.get(c), 20), 0, 0);
            rotated.dispose();
        }
        return png(image, g);
    }

    /**
     * Helper for series maps in insertion order.
     *
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

    private static void frame(Graphics2D g, String title, int left, int top, int right, int bottom) {
        frameScaled(g, title, left, top, right, bottom, 1.0);
    }

    private static void frameScaled(Graphics2D g, String title, int left, int top, int right, int bottom,
            double max) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 22);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(fmt(max * i / 5), 8, y + 4);
        }
        g.setColor(Color.GRAY);
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
    }

    private static BufferedImage canvas(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        return g;
    }

    private static byte[] png(BufferedImage image, Graphics2D g) {
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode chart as PNG: " + e.getMessage(), e);
        }
    }

    private static double clamp(double v) {
        return Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
    }

    private static String shorten(String s, int max) {
        String text = s == null ? "(none)" : s;
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String fmt(double v) {
        return String.format("%.2f", v);
    }

    static List<String> keys(Map<String, ?> map) {
        return new ArrayList<>(map.keySet());
    }
}
