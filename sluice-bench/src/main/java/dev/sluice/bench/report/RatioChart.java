package dev.sluice.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A PNG bar chart of processing rates as multiples of the hand-written queue measured in the
 * same run on the same database: one group of bars per store and workload, one bar per system.
 * The value axis is logarithmic because the baselines differ by orders of magnitude. Groups
 * without a hand-written result are left out. Runs headless.
 */
public final class RatioChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;

    private RatioChart() {
    }

    /** Writes the chart of {@code results} to {@code file}; returns how many bars it drew. */
    public static int write(List<Result> results, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        Map<String, List<Result>> groups = results.stream().collect(Collectors.groupingBy(
                r -> r.store() + " " + r.workload(), java.util.LinkedHashMap::new, Collectors.toList()));
        int bars = 0;
        for (var group : groups.entrySet()) {
            Optional<Double> ceiling = group.getValue().stream()
                    .filter(r -> r.system().equals("handwritten") && r.processPerS() != null && r.processPerS() > 0)
                    .map(Result::processPerS).findFirst();
            if (ceiling.isEmpty()) {
                continue;
            }
            for (Result r : group.getValue()) {
                if (r.processPerS() != null && r.processPerS() > 0) {
                    data.addValue(r.processPerS() / ceiling.get(), r.system(), group.getKey());
                    bars++;
                }
            }
        }
        LogAxis values = new LogAxis("processing rate ÷ hand-written SQL queue (same run)");
        values.setSmallestValue(0.001);
        values.setBase(10);
        values.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        values.setTickUnit(new NumberTickUnit(1.0)); // in powers of ten: 0.001, 0.01, 0.1, 1
        values.setMinorTickMarksVisible(true);
        BarRenderer renderer = new BarRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}×",
                new java.text.DecimalFormat("0.00#")));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("store and workload"), values, renderer);
        plot.setOrientation(PlotOrientation.VERTICAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(new ValueMarker(1.0, Color.DARK_GRAY, new BasicStroke(1.5f)));
        JFreeChart chart = new JFreeChart("Jobs processed per second, relative to a hand-written SQL queue",
                new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, true);
        save(chart, file, WIDTH, HEIGHT);
        return bars;
    }

    /** Writes {@code chart} on white to {@code file} as a PNG, creating its directory. */
    static void save(JFreeChart chart, Path file, int width, int height) throws IOException {
        chart.setBackgroundPaint(Color.WHITE);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ChartUtils.saveChartAsPNG(file.toFile(), chart, width, height);
    }
}
