package org.jdbcpoolra.handle;

import java.sql.SQLException;

/**
 * A handle that its owner must close when the owner closes: statements of a connection handle, result sets of a
 * statement. Kept as an intrusive doubly linked list so that opening and closing a handle on the hot path costs a
 * few pointer writes and no allocation. Hazard: a handle that is closed without {@link #untrack} stays reachable from
 * its owner until the owner closes; every close path below goes through untrack.
 */
abstract class TrackedHandle {
    private TrackedHandle prev;
    private TrackedHandle next;
    /** Head of the list of this handle's own open children. */
    private TrackedHandle children;

    /** Closes the physical resource quietly and swaps in the closed sentinel; the owner is closing everything. */
    abstract void closeByOwner();

    final void track(TrackedHandle child) {
        TrackedHandle head = children;
        child.next = head;
        if (head != null) {
            head.prev = child;
        }
        children = child;
    }

    final void untrack(TrackedHandle child) {
        TrackedHandle p = child.prev;
        TrackedHandle n = child.next;
        if (p != null) {
            p.next = n;
        } else if (children == child) {
            children = n;
        }
        if (n != null) {
            n.prev = p;
        }
        child.prev = null;
        child.next = null;
    }

    /** Closes every open child and returns how many there were (the borrower left them open). */
    final int closeChildren() {
        TrackedHandle c = children;
        if (c == null) {
            return 0;
        }
        int count = 0;
        children = null;
        while (c != null) {
            TrackedHandle n = c.next;
            c.prev = null;
            c.next = null;
            c.closeByOwner();
            c = n;
            count++;
        }
        return count;
    }

    /** A result set this handle hands out: ours, and closed with this handle; null stays null. */
    final java.sql.ResultSet handOut(java.sql.ResultSet physical, StatementHandle statement,
            ConnectionHandle connection) {
        if (physical == null) {
            return null;
        }
        ResultSetHandle handle = new ResultSetHandle(this, statement, connection, physical);
        track(handle);
        return handle;
    }

    static void closeQuietly(AutoCloseable resource) {
        try {
            resource.close();
        } catch (SQLException | RuntimeException ignored) {
            // The owner is closing: the physical connection close or reset that follows reports real trouble.
        } catch (Exception ignored) {
            // AutoCloseable declares Exception; JDBC resources only throw SQLException.
        }
    }
}
