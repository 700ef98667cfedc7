package org.jdbcpoolra.it.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PgBouncer (Debian's package) in front of the test PostgreSQL, with src-deploy/pgbouncer/pgbouncer.ini as a user
 * applies it: only the addresses, the pool size and the paths are replaced. Started as a daemon; as root it drops to
 * the postgres user, since PgBouncer refuses to run as root.
 */
public final class PgBouncer implements AutoCloseable {
    private final Path dir;
    private final int port;

    private PgBouncer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** PgBouncer on {@code port} for the pool user's database, with at most {@code poolSize} server sessions. */
    public static PgBouncer start(PostgresDatabase database, int port, int poolSize, Map<String, String> changes)
            throws IOException {
        Path dir = TestEnvironment.work().resolve("pgbouncer-" + port);
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path userlist = dir.resolve("userlist.txt");
        Files.writeString(userlist, "\"" + database.user() + "\" \"" + database.password() + "\"\n");
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of(
                "listen_port", String.valueOf(port),
                "default_pool_size", String.valueOf(poolSize),
                "auth_file", userlist.toString(),
                "logfile", dir.resolve("pgbouncer.log").toString(),
                "pidfile", dir.resolve("pgbouncer.pid").toString()));
        settings.putAll(changes);
        Path ini = dir.resolve("pgbouncer.ini");
        Path shipped = TestEnvironment.srcDeploy().resolve("pgbouncer/pgbouncer.ini");
        Files.writeString(ini, render(Files.readAllLines(shipped),
                "pool_it = host=127.0.0.1 port=" + database.port() + " dbname=pool_it", settings));
        Files.deleteIfExists(dir.resolve("pgbouncer.pid"));
        List<String> command = new ArrayList<>(List.of("/usr/sbin/pgbouncer", "-d"));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "postgres"));
        }
        command.add(ini.toString());
        TestEnvironment.run(command, Map.of());
        PgBouncer started = new PgBouncer(dir, port);
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!started.listening()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PgBouncer did not listen on " + port + " within 20 s; see "
                        + dir.resolve("pgbouncer.log"));
            }
            Http.sleep(100);
        }
        return started;
    }

    /** The shipped file with its database line and the given keys replaced; a key it lacks is an error. */
    static String render(List<String> lines, String databaseLine, Map<String, String> settings) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> replaced = new java.util.HashSet<>();
        for (String line : lines) {
            String key = line.contains("=") && !line.startsWith(";") ? line.substring(0, line.indexOf('=')).trim()
                    : "";
            if (key.equals("pool_it")) {
                line = databaseLine;
            } else if (settings.containsKey(key)) {
                line = key + " = " + settings.get(key);
                replaced.add(key);
            }
            out.append(line).append('\n');
        }
        if (!replaced.equals(settings.keySet())) {
            throw new IllegalStateException("pgbouncer.ini has no line for " + settings.keySet().stream()
                    .filter(k -> !replaced.contains(k)).toList());
        }
        return out.toString();
    }

    public int port() {
        return port;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        Path pid = dir.resolve("pgbouncer.pid");
        if (Files.exists(pid)) {
            long id = Long.parseLong(Files.readString(pid).trim());
            ProcessHandle.of(id).ifPresent(p -> {
                p.destroy();
                p.onExit().join();
            });
        }
    }
}
