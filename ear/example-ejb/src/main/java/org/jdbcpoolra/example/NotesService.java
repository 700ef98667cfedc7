package org.jdbcpoolra.example;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.EJBException;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;

/**
 * The example client: a table of notes kept through the pooled DataSource, in container-managed transactions.
 * The DataSource is injected by reference ({@code jdbc/Pool}); each server's descriptor maps the reference to the
 * name that server binds (WildFly: {@code java:/jdbc/Pool}, see META-INF/jboss-ejb3.xml), so no Java changes
 * between servers.
 */
@Stateless
public class NotesService {

    /** Portable across H2, PostgreSQL and MariaDB: no identity columns, ids are UUIDs. */
    private static final String CREATE_TABLE = "CREATE TABLE IF NOT EXISTS notes ("
            + "id VARCHAR(36) PRIMARY KEY, body VARCHAR(500) NOT NULL, created_at TIMESTAMP NOT NULL)";

    @Resource(name = "jdbc/Pool")
    private DataSource dataSource;

    @Resource
    private SessionContext context;

    /** DDL runs outside any transaction: some databases (MariaDB) commit implicitly on DDL. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void createTable() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(CREATE_TABLE);
        } catch (SQLException e) {
            throw new EJBException("cannot create table notes: " + e.getMessage(), e);
        }
    }

    public Note add(String body) {
        Note note = new Note(UUID.randomUUID().toString(), body, Instant.now());
        try (Connection c = dataSource.getConnection();
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO notes (id, body, created_at) VALUES (?, ?, ?)")) {
            insert.setString(1, note.id());
            insert.setString(2, note.body());
            insert.setTimestamp(3, Timestamp.from(note.createdAt()));
            insert.executeUpdate();
            return note;
        } catch (SQLException e) {
            throw new EJBException("cannot add a note: " + e.getMessage(), e);
        }
    }

    /** Inserts, then marks the transaction for rollback: the note must not survive. */
    public Note addThenRollBack(String body) {
        Note note = add(body);
        context.setRollbackOnly();
        return note;
    }

    /**
     * Rows with this body as the database counts them, and the class of the connection the pool handed out (the
     * adapter's handle, whichever server maps the reference).
     */
    public java.util.Map<String, Object> count(String body) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM notes WHERE body = ?")) {
            count.setString(1, body);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return java.util.Map.of("rows", rs.getInt(1), "connection", c.getClass().getName());
            }
        } catch (SQLException e) {
            throw new EJBException("cannot count notes: " + e.getMessage(), e);
        }
    }

    /**
     * One borrower of the live page's load: a prepared statement, then the connection held for {@code holdMillis}.
     * Outside a transaction, so that every call borrows and returns a connection of its own.
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void sample(long holdMillis) {
        try (Connection c = dataSource.getConnection(); PreparedStatement select = c.prepareStatement("SELECT 1")) {
            select.executeQuery().close();
            Thread.sleep(holdMillis);
        } catch (SQLException e) {
            throw new EJBException("cannot borrow for the load: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EJBException("interrupted while holding a connection", e);
        }
    }

    public List<Note> list() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, body, created_at FROM notes ORDER BY created_at, id")) {
            List<Note> notes = new ArrayList<>();
            while (rs.next()) {
                notes.add(new Note(rs.getString(1), rs.getString(2), rs.getTimestamp(3).toInstant()));
            }
            return notes;
        } catch (SQLException e) {
            throw new EJBException("cannot list notes: " + e.getMessage(), e);
        }
    }
}
