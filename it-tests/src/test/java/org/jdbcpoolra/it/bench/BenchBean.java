package org.jdbcpoolra.it.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;

/** Case 4: an EJB call in a container-managed transaction doing one insert and one select, on either pool. */
@Stateless
public class BenchBean {

    @Resource(lookup = "java:/jdbc/Pool")
    private DataSource ours;

    @Resource(lookup = "java:/jdbc/Native")
    private DataSource nativeDataSource;

    public int insertAndSelect(boolean useOurs, int value) throws SQLException {
        try (Connection c = (useOurs ? ours : nativeDataSource).getConnection()) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO bench_rows (v) VALUES (?)")) {
                insert.setInt(1, value);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM bench_rows WHERE v = ?")) {
                select.setInt(1, value);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        }
    }
}
