package dev.sluice.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG line chart of durable appends per second against the number of producers, one line per
 * kind of thread, beside the line of perfect group commit: the disk's own write+fsync rate (one
 * thread, without the log, same run) times the producers, as if waking the producers took no
 * time. Both axes are logarithmic (base 2 for producers). Runs headless.
 */
public final class GroupCommitChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private GroupCommitChart() {
    }

    /**
     * Writes the chart to {@code file}.
     *
     * @param measured appends per second by producers, per line name (e.g. "platform threads")
     * @param diskRate the disk's write+fsync per second, one thread, without the log
     */
    public static void write(Map<String, Map<Integer, Double>> measured, double diskRate, Path file)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries ideal = new XYSeries("disk write+fsync × producers (no cost to wake them)");
        for (var line : measured.entrySet()) {
            XYSeries s = new XYSeries(line.getKey());
            for (var point : line.getValue().entrySet()) {
                s.add(point.getKey(), point.getValue());
                ideal.addOrUpdate(point.getKey().doubleValue(), diskRate * point.getKey());
            }
            data.addSeries(s);
        }
        data.addSeries(ideal);

        LogAxis producers = new LogAxis("producer threads, each appending durably in a loop");
        producers.setBase(2);
        producers.setTickUnit(new NumberTickUnit(1.0));
        producers.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        producers.setSmallestValue(1);
        // ticks at 1-9 × each power of ten, labelled as plain numbers
        LogarithmicAxis rate = new LogarithmicAxis("durable appends per second");
        rate.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        List<Color> colors = List.of(new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c));
        for (int i = 0; i < data.getSeriesCount() - 1; i++) {
            renderer.setSeriesPaint(i, colors.get(i % colors.size()));
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        int last = data.getSeriesCount() - 1;
        renderer.setSeriesPaint(last, Color.GRAY);
        renderer.setSeriesShapesVisible(last, false);
        renderer.setSeriesStroke(last, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                new float[] {6f, 4f}, 0f));
        XYPlot plot = new XYPlot(data, producers, rate, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(String.format(java.util.Locale.ROOT,
                "Group commit: durable appends per second (one fsync here: %.0f µs)", 1e6 / diskRate),
                new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        RatioChart.save(chart, file, WIDTH, HEIGHT);
    }
}
