package org.jdbcpoolra.it.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.Styler;

/**
 * The results as a PNG: one grouped bar chart per database, ours beside WildFly's datasource for every case and
 * thread count, each bar labelled with its ops/s. The scale is logarithmic because the figures span three decades
 * (a pool-only borrow on H2 against an EJB transaction on PostgreSQL).
 */
final class BenchChart {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 560;

    private BenchChart() {
    }

    static void write(List<BenchResult> results, Path png) throws IOException {
        Map<String, List<BenchResult>> byDatabase = new LinkedHashMap<>();
        results.forEach(r -> byDatabase.computeIfAbsent(r.database(), d -> new ArrayList<>()).add(r));
        List<CategoryChart> charts = new ArrayList<>();
        byDatabase.forEach((database, rows) -> charts.add(chart(database, rows)));
        try (OutputStream out = Files.newOutputStream(png)) {
            BitmapEncoder.saveBitmap(charts, charts.size(), 1, out, BitmapFormat.PNG);
        }
    }

    private static CategoryChart chart(String database, List<BenchResult> rows) {
        List<String> categories = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        List<Double> wildFly = new ArrayList<>();
        for (BenchResult r : rows) {
            categories.add(r.benchCase().label() + ", " + r.threads() + " thr" + (r.contended()
                    ? ", max " + r.poolSize() : ""));
            // XChart's log axis refuses zero.
            ours.add((double) Math.max(1, r.ours().opsPerSecond()));
            wildFly.add((double) Math.max(1, r.wildFly().opsPerSecond()));
        }
        double min = rows.stream().mapToLong(r -> Math.min(r.ours().opsPerSecond(), r.wildFly().opsPerSecond()))
                .min().orElse(1);
        double max = rows.stream().mapToLong(r -> Math.max(r.ours().opsPerSecond(), r.wildFly().opsPerSecond()))
                .max().orElse(10);

        CategoryChart chart = new CategoryChart(WIDTH, HEIGHT);
        chart.setTitle(database + ": ops/s, medians (higher is better); pools of " + rows.get(0).poolSize()
                + " connections unless \"max N\" says otherwise");
        chart.setYAxisTitle("ops/s (log scale)");
        CategoryStyler styler = chart.getStyler();
        styler.setYAxisLogarithmic(true);
        // Bars of a log axis start at its minimum, which XChart otherwise puts at zero; the shortest bar gets at
        // least half a decade, room for its label.
        styler.setYAxisMin(Math.pow(10, Math.floor(Math.log10(Math.max(1, min / 3)))));
        // Room above the tallest bar for the legend.
        styler.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max * 3))));
        styler.setYAxisDecimalPattern("#,###");
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setXAxisLabelRotation(30);
        styler.setLabelsVisible(true);
        styler.setLabelsRotation(90);
        styler.setAvailableSpaceFill(0.8);
        chart.addSeries("ours (jdbc-pool-ra)", categories, ours);
        chart.addSeries("WildFly datasource", categories, wildFly);
        return chart;
    }
}
