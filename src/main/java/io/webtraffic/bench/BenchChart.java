package io.webtraffic.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The README's chart, drawn with Java2D (headless, no chart library in the jar): throughput of each
 * stage relative to the read-only bound, and latency and CPU cost against the trigger interval, the
 * curve users pick a trigger from.
 */
final class BenchChart {
  private static final int W = 1500;
  private static final int H = 520;
  private static final Color[] COLORS = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e)
  };

  private BenchChart() {}

  static void write(
      Map<String, Double> stageRatios, List<TriggerCurve.Point> curve, String subtitle, Path file)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    g.drawString(subtitle, 20, H - 12);

    List<String> stages = List.copyOf(stageRatios.keySet());
    bars(g, 20, 10, 480, H - 40, "Throughput ÷ read-only bound", stages, stageRatios);

    List<String> triggers = curve.stream().map(p -> p.triggerSeconds() + " s").toList();
    Map<String, double[]> latency = new LinkedHashMap<>();
    latency.put("p50", curve.stream().mapToDouble(TriggerCurve.Point::p50Seconds).toArray());
    latency.put("p99", curve.stream().mapToDouble(TriggerCurve.Point::p99Seconds).toArray());
    latency.put("trigger + 2 s", curve.stream().mapToDouble(p -> p.triggerSeconds() + 2).toArray());
    lines(g, 520, 10, 470, H - 40, "End-to-end latency (s) vs trigger", triggers, latency);
    Map<String, double[]> cost = new LinkedHashMap<>();
    cost.put(
        "CPU-s per million events",
        curve.stream().mapToDouble(TriggerCurve.Point::cpuPerMillion).toArray());
    lines(
        g, 1010, 10, 470, H - 40, "Job CPU-seconds per million events vs trigger", triggers, cost);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static void frame(
      Graphics2D g, int x, int y, int w, int h, String title, double max, String[] cats) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, x + 50, y + 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int left = x + 50;
    int bottom = y + h - 60;
    int top = y + 40;
    g.drawLine(left, top, left, bottom);
    g.drawLine(left, bottom, x + w - 10, bottom);
    for (int i = 0; i <= 4; i++) {
      double v = max * i / 4;
      int py = bottom - (int) ((bottom - top) * i / 4.0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(left + 1, py, x + w - 10, py);
      g.setColor(Color.BLACK);
      g.drawString(ResultTable.number(v), x + 2, py + 4);
    }
  }

  private static void bars(
      Graphics2D g,
      int x,
      int y,
      int w,
      int h,
      String title,
      List<String> cats,
      Map<String, Double> values) {
    double max = niceMax(values.values().stream().mapToDouble(Double::doubleValue).max().orElse(1));
    frame(g, x, y, w, h, title, max, cats.toArray(String[]::new));
    int left = x + 50;
    int bottom = y + h - 60;
    int top = y + 40;
    int slot = (w - 70) / Math.max(1, cats.size());
    for (int i = 0; i < cats.size(); i++) {
      double v = values.get(cats.get(i));
      int bh = (int) ((bottom - top) * v / max);
      int bx = left + i * slot + slot / 5;
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(bx, bottom - bh, slot * 3 / 5, bh);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.2f", v), bx, bottom - bh - 4);
      label(g, cats.get(i), left + i * slot + 4, bottom + 16, slot - 6);
    }
  }

  private static void lines(
      Graphics2D g,
      int x,
      int y,
      int w,
      int h,
      String title,
      List<String> cats,
      Map<String, double[]> series) {
    double max =
        niceMax(series.values().stream().flatMapToDouble(java.util.Arrays::stream).max().orElse(1));
    frame(g, x, y, w, h, title, max, cats.toArray(String[]::new));
    int left = x + 50;
    int bottom = y + h - 60;
    int top = y + 40;
    int slot = (w - 70) / Math.max(1, cats.size());
    for (int i = 0; i < cats.size(); i++) {
      g.setColor(Color.BLACK);
      g.drawString("trigger " + cats.get(i), left + i * slot + slot / 2 - 30, bottom + 16);
    }
    int s = 0;
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      Color c = COLORS[s % COLORS.length];
      g.setColor(c);
      boolean dashed = e.getKey().startsWith("trigger");
      g.setStroke(
          dashed
              ? new BasicStroke(
                  1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 5}, 0)
              : new BasicStroke(2.5f));
      double[] v = e.getValue();
      for (int i = 0; i < v.length; i++) {
        int px = left + i * slot + slot / 2;
        int py = bottom - (int) ((bottom - top) * v[i] / max);
        if (!dashed) {
          g.fillOval(px - 4, py - 4, 8, 8);
          g.drawString(ResultTable.number(v[i]), px + 6, py - 6);
        }
        if (i > 0) {
          int qx = left + (i - 1) * slot + slot / 2;
          int qy = bottom - (int) ((bottom - top) * v[i - 1] / max);
          g.drawLine(qx, qy, px, py);
        }
      }
      g.setStroke(new BasicStroke(1));
      g.fillRect(left + 10 + s * 150, bottom + 32, 12, 12);
      g.setColor(Color.BLACK);
      g.drawString(e.getKey(), left + 26 + s * 150, bottom + 43);
      s++;
    }
  }

  private static void label(Graphics2D g, String text, int x, int y, int width) {
    String[] words = text.split(" ");
    StringBuilder line = new StringBuilder();
    int ly = y;
    for (String word : words) {
      String next = line.length() == 0 ? word : line + " " + word;
      if (g.getFontMetrics().stringWidth(next) > width && line.length() > 0) {
        g.drawString(line.toString(), x, ly);
        ly += 14;
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(next);
      }
    }
    g.drawString(line.toString(), x, ly);
  }

  /** The axis maximum: the next 1, 2 or 5 times a power of ten above the data. */
  static double niceMax(double v) {
    if (!(v > 0)) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v * 1.1) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
