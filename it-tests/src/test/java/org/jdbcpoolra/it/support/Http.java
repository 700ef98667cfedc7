package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Plain HTTP calls to the example and the probe: the tests drive the server the way a person with curl would, in
 * HTTP/1.1. The JDK's client would otherwise ask every plain connection to upgrade to HTTP/2 (h2c), and Open Liberty
 * keeps an upgraded connection's web module, and through the application the adapter's deployment, for as long as
 * the client keeps that connection open, undeployed or not (RedeployIT saw it: Inbound Read Selector, the
 * connection's state store, its upgrade handler, the WebApp).
 */
public final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public record Reply(int status, String body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private Http() {
    }

    public static URI example(String path) {
        return URI.create("http://127.0.0.1:" + ServerControl.current().facts().httpPort() + "/jdbc-pool-example"
                + path);
    }

    public static URI probe(String path) {
        return URI.create("http://127.0.0.1:" + ServerControl.current().facts().httpPort() + "/probe" + path);
    }

    public static Reply get(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET());
    }

    public static Reply post(URI uri, String body) {
        return post(uri, body, Duration.ofSeconds(60));
    }

    /**
     * A POST that waits for its reply at most {@code timeout}; a call that gets none in time (or whose connection
     * fails) throws IllegalStateException, which a caller counting outcomes records as unknown.
     */
    public static Reply post(URI uri, String body, Duration timeout) {
        return send(HttpRequest.newBuilder(uri).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)), timeout);
    }

    /**
     * The outcome of one call, whatever happens to it: its reply, or (status 0) why none came (the client's timeout,
     * a reset connection). Borrowers counted by their outcomes use it, so that a call that dies is counted as failed
     * instead of vanishing with its thread.
     */
    public static Reply outcome(java.util.function.Supplier<Reply> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return new Reply(0, "no reply: " + e + (e.getCause() == null ? "" : " (" + e.getCause() + ")"));
        }
    }

    public static CompletableFuture<Reply> postAsync(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }

    private static Reply send(HttpRequest.Builder builder) {
        return send(builder, Duration.ofSeconds(60));
    }

    private static Reply send(HttpRequest.Builder builder, Duration timeout) {
        try {
            HttpResponse<String> response = CLIENT.send(builder.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("HTTP call failed: " + builder.build().uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A deployment can answer 404 for a moment after the server says it is deployed: poll. */
    public static void awaitOk(URI uri) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(uri);
                if (last.ok()) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            sleep(250);
        }
        throw new IllegalStateException(uri + " did not answer 2xx within 60 s; last reply: " + last);
    }

    /** Waits until a deployment answers at all (any status but 404), even if the database behind it is down. */
    public static void awaitDeployed(URI uri) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Reply last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(uri);
                if (last.status() != 404) {
                    return;
                }
            } catch (IllegalStateException e) {
                // not listening yet
            }
            sleep(250);
        }
        throw new IllegalStateException(uri + " was not deployed within 60 s; last reply: " + last);
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
