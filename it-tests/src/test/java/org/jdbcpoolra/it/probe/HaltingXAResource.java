package org.jdbcpoolra.it.probe;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

/**
 * A third participant that votes yes and, when told to commit, halts the JVM: the server dies in the commit phase,
 * with the database branches prepared and the commit decision in the transaction log. It halts only while its
 * marker file exists (deleted first), so the transaction manager's recovery, which may commit it again, goes on.
 */
public final class HaltingXAResource implements XAResource, Serializable {
    private static final long serialVersionUID = 1L;
    private final String marker;

    public HaltingXAResource(Path marker) {
        this.marker = marker.toString();
    }

    @Override
    public void commit(Xid xid, boolean onePhase) {
        try {
            if (Files.deleteIfExists(Path.of(marker))) {
                Runtime.getRuntime().halt(137);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int prepare(Xid xid) {
        return XA_OK;
    }

    @Override
    public void start(Xid xid, int flags) {
    }

    @Override
    public void end(Xid xid, int flags) {
    }

    @Override
    public void rollback(Xid xid) {
    }

    @Override
    public void forget(Xid xid) {
    }

    @Override
    public Xid[] recover(int flag) {
        return new Xid[0];
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other == this;
    }

    @Override
    public int getTransactionTimeout() {
        return 0;
    }

    @Override
    public boolean setTransactionTimeout(int seconds) {
        return false;
    }
}
