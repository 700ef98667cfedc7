package org.jdbcpoolra.it.bench;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Runs one round of one case on one pool inside the server and answers "ops waitP50Micros waitP99Micros".
 * {@code GET /run?pool=ours|native&case=1..4&threads=N&millis=M}. The loop runs outside any transaction except case 4.
 * {@code GET /pools} answers the JDBC URL each pool's connections have, one line each: ours, then WildFly's.
 */
@WebServlet({"/run", "/pools"})
public class BenchServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final int MAX_SAMPLES = 200_000;

    @Resource(lookup = "java:/jdbc/Pool")
    private DataSource ours;

    @Resource(lookup = "java:/jdbc/Native")
    private DataSource nativeDataSource;

    @EJB
    private BenchBean bean;

    @Override
    public void init() {
        for (DataSource ds : new DataSource[] {ours, nativeDataSource}) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS bench_rows (v INT)");
                // Without an index the select would scan a growing table and measure the database, not the pools.
                s.execute("CREATE INDEX IF NOT EXISTS bench_rows_v ON bench_rows (v)");
                // PostgreSQL keeps the rows of earlier runs (and both pools share its table): start from none.
                s.execute("TRUNCATE TABLE bench_rows");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create bench_rows", e);
            }
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("/pools".equals(request.getServletPath())) {
            try (Connection o = ours.getConnection(); Connection n = nativeDataSource.getConnection()) {
                response.getWriter().print(o.getMetaData().getURL() + "\n" + n.getMetaData().getURL());
            } catch (SQLException e) {
                response.setStatus(500);
                response.getWriter().print(e);
            }
            return;
        }
        boolean useOurs = "ours".equals(request.getParameter("pool"));
        DataSource ds = useOurs ? ours : nativeDataSource;
        int benchCase = Integer.parseInt(request.getParameter("case"));
        int threads = Integer.parseInt(request.getParameter("threads"));
        long millis = Long.parseLong(request.getParameter("millis"));
        long[] ops = new long[threads];
        long[][] waits = new long[threads][];
        int[] sampled = new int[threads];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int id = t;
            waits[id] = new long[MAX_SAMPLES / threads];
            workers[t] = new Thread(() -> {
                try {
                    start.await();
                    long deadline = System.nanoTime() + millis * 1_000_000;
                    long n = 0;
                    while (System.nanoTime() < deadline) {
                        long wait = once(ds, useOurs, benchCase, (int) n);
                        if (sampled[id] < waits[id].length) {
                            waits[id][sampled[id]++] = wait;
                        }
                        n++;
                    }
                    ops[id] = n;
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            workers[t].start();
        }
        start.countDown();
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            response.setStatus(500);
            response.getWriter().print(failure.get());
            return;
        }
        long total = Arrays.stream(ops).sum();
        long[] all = new long[Arrays.stream(sampled).sum()];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(waits[t], 0, all, at, sampled[t]);
            at += sampled[t];
        }
        Arrays.sort(all);
        long p50 = all.length == 0 ? 0 : all[all.length / 2] / 1000;
        long p99 = all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1000;
        response.getWriter().print(total * 1000 / millis + " " + p50 + " " + p99);
    }

    /** One operation; returns how long getConnection waited, in nanoseconds (0 for the EJB case). */
    private long once(DataSource ds, boolean useOurs, int benchCase, int n) throws SQLException {
        if (benchCase == 4) {
            bean.insertAndSelect(useOurs, n);
            return 0;
        }
        long before = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            long waited = System.nanoTime() - before;
            if (benchCase == 2) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                    rs.next();
                }
            } else if (benchCase == 3) {
                try (PreparedStatement ps = c.prepareStatement("SELECT ? + 1")) {
                    ps.setInt(1, n);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                }
            }
            return waited;
        }
    }
}
