package org.jdbcpoolra.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.locks.ReentrantLock;

import org.jdbcpoolra.config.ConfigException;
import org.jdbcpoolra.config.PoolConfig;
import org.jdbcpoolra.config.PoolProperty;

/**
 * The pool's own sign-on: User and Password as configured, or the files named by UserFile and PasswordFile (a
 * mounted secret), read again for a new physical connection whenever they changed, so a rotated password needs no
 * restart. Also remembers the database's last refusal of these credentials, so that new connections fail at once
 * for AuthFailureBackoffMillis instead of knocking again with what was refused (unless the credentials change).
 */
final class SignOn {
    /** For matching: the pool's own identity, whatever its values are now. */
    static final Credentials IDENTITY = new Credentials(null, null, true);
    private static final long MAX_SECRET_BYTES = 64 * 1024;

    private final String user;
    private final String password;
    private final Path userFile;
    private final Path passwordFile;
    private final long backoffNanos;
    /** Written under the lock in {@link #current()}, read without it by {@link #isOwn}. */
    private volatile Read read;
    private volatile Refusal refusal;
    private final ReentrantLock lock = new ReentrantLock();

    private record Read(Credentials credentials, FileTime userTime, FileTime passwordTime) {
    }

    /** What the database refused, when, and why (a message already cleared of secrets). */
    record Refusal(Credentials refused, long atNanos, String reason, String sqlState) {
    }

    /** @throws ConfigException naming the file property whose file cannot be read */
    SignOn(PoolConfig config) {
        this.user = config.user();
        this.password = config.password();
        this.userFile = config.userFile() == null ? null : Path.of(config.userFile());
        this.passwordFile = config.passwordFile() == null ? null : Path.of(config.passwordFile());
        this.backoffNanos = config.authFailureBackoffMillis() * 1_000_000L;
        current();
    }

    /**
     * The credentials for a new physical connection: the files' contents as they are now. A lock rather than a
     * monitor: it is held across file reads, which must not pin a virtual thread's carrier.
     */
    Credentials current() {
        lock.lock();
        try {
            FileTime userTime = modified(PoolProperty.USER_FILE, userFile);
            FileTime passwordTime = modified(PoolProperty.PASSWORD_FILE, passwordFile);
            Read r = read;
            if (r == null || !java.util.Objects.equals(userTime, r.userTime())
                    || !java.util.Objects.equals(passwordTime, r.passwordTime())) {
                String u = userFile == null ? user : content(PoolProperty.USER_FILE, userFile).strip();
                String p = passwordFile == null ? password : withoutLineEnd(content(PoolProperty.PASSWORD_FILE,
                        passwordFile));
                r = new Read(new Credentials(u, p, true), userTime, passwordTime);
                read = r;
            }
            return r.credentials();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a container's sign-on only echoes the pool's own configuration: Payara, for one, builds the Subject of
     * a connector pool from its User and Password properties, with an empty password when PasswordFile stands in
     * for it. Such a sign-on is the pool's own, so the files and their rotation apply.
     */
    boolean isOwn(Credentials given) {
        Read r = read;
        String ownUser = userFile == null ? user : r == null ? null : r.credentials().user();
        if (!java.util.Objects.equals(given.user(), ownUser)) {
            return false;
        }
        if (passwordFile != null) {
            return given.password() == null || given.password().isEmpty();
        }
        return java.util.Objects.equals(given.password(), password);
    }

    /** The database's refusal of exactly these credentials, if it is recent enough to stop another attempt. */
    Refusal refusalOf(Credentials credentials) {
        Refusal r = refusal;
        if (r == null || backoffNanos == 0 || !r.refused().equals(credentials)
                || System.nanoTime() - r.atNanos() >= backoffNanos) {
            return null;
        }
        return r;
    }

    void refused(Credentials credentials, String reason, String sqlState) {
        refusal = new Refusal(credentials, System.nanoTime(), reason, sqlState);
    }

    void accepted() {
        refusal = null;
    }

    long backoffMillis() {
        return backoffNanos / 1_000_000;
    }

    private static FileTime modified(PoolProperty property, Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new ConfigException(property, "cannot read " + file + ": " + e);
        }
    }

    /**
     * A secret file's text: refused when it is empty (a half-written file, or a mount not yet there: signing on
     * with "" may even succeed, under trust authentication) or larger than any secret (a wrong path, /dev/zero).
     */
    private static String content(PoolProperty property, Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new ConfigException(property, file + " is not a regular file");
            }
            long size = Files.size(file);
            if (size > MAX_SECRET_BYTES) {
                throw new ConfigException(property, file + " is larger than " + MAX_SECRET_BYTES
                        + " bytes: not a file of one secret");
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (withoutLineEnd(text).isEmpty()) {
                throw new ConfigException(property, file + " is empty");
            }
            return text;
        } catch (IOException e) {
            throw new ConfigException(property, "cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** A secret is taken as written, but editors and `echo` end files with a line break that is not part of it. */
    private static String withoutLineEnd(String text) {
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}
