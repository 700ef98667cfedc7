package org.jdbcpoolra.it.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jdbcpoolra.it.support.Http.Reply;

/** Borrowers driven through the probe deployment, for the fault scenarios. */
public final class Probe {
    private Probe() {
    }

    /** One borrower runs one statement: "ok|millis" or 503 "millis|exception|SQLState|message". */
    public static Reply query(String sql) {
        return Http.post(Http.probe("/probe/query?sql=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)), "");
    }

    /** Milliseconds the borrower took, from either kind of reply. */
    public static long millis(Reply reply) {
        String[] parts = reply.body().split("\\|", 3);
        return Long.parseLong(reply.ok() ? parts[1] : parts[0]);
    }

    /** Makes the pool open {@code count} physical connections by holding that many at once, then returns them. */
    public static void grow(int count) throws Exception {
        List<CompletableFuture<Reply>> holders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            holders.add(Http.postAsync(Http.probe("/probe/hold?millis=1000")));
        }
        for (CompletableFuture<Reply> holder : holders) {
            Reply reply = holder.get();
            assertEquals(200, reply.status(), reply.body());
        }
    }
}
