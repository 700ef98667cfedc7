package org.jdbcpoolra.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What differs between servers, as data: the scenarios read these instead of asking which server they run on.
 *
 * @param name                   wildfly, payara, ...
 * @param httpPort               where the test server answers HTTP
 * @param jndiName               the name applications look the pool up by; also its log and error prefix
 * @param standaloneJndiName     the name of the second pool (the RAR deployed alone) of the bad-configuration cases
 * @param xaJndiNamePrefix       XA connection definitions are named this plus the database's name
 * @param transactionManagerName where applications find the JTA TransactionManager; null where an application cannot
 *                               enlist a resource of its own (Liberty binds no TransactionManager, and its
 *                               TransactionManagerFactory's enlistResource must deserialize the resource in the
 *                               transaction service's own class loader, which does not see application classes)
 * @param idleTimeout            the shortest idle timeout the server can be given (WildFly counts minutes)
 * @param exhaustedText          part of the message a borrower gets after waiting the whole blocking timeout
 * @param prefill                when the server opens min connections: on activation, at the first borrow, never
 * @param validatesInBackground  the server validates idle connections in the background
 * @param poolSizeSettings       the names of min and max as the errors a deployer sees name them
 * @param blockingTimeoutSetting the name of the blocking timeout as the errors a deployer sees name it
 * @param leakReportText         text of the server's report of a connection an application never closed; null where
 *                               the server reports none (Liberty: the adapter takes such a connection back when the
 *                               transaction ends, before Liberty's own check at the end of the request sees it open)
 * @param dropsDeadIdleConnections the server destroys a free connection the adapter's keepalive reports dead at once
 *                               (Liberty counts it until a borrower or its reaper comes)
 * @param validatesOnBorrow      the server asks the adapter to validate a connection before it lends it (Liberty never)
 * @param borrowerSeesConfigErrors the first borrower of a misconfigured pool gets the adapter's error (Liberty gives
 *                               it a naming error and writes the adapter's to its log)
 * @param exampleStatistic       a statistic the example's /api/pool shows for each pool (the server's own name)
 * @param directInjectionProbe   a probe class at /direct that injects the pool by its global name
 * @param serverLog              the server's log file
 * @param timerTable             the table the server's EJB timer service keeps persistent timers in
 * @param scheduleTimerQuery     SQL giving the id of the timer of a schedule firing every 2 s, from that table
 * @param warningLine            what a line of the server log at warning level or worse contains, in that server's
 *                               format
 */
public record ServerFacts(
        String name,
        int httpPort,
        String jndiName,
        String standaloneJndiName,
        String xaJndiNamePrefix,
        String transactionManagerName,
        Duration idleTimeout,
        String exhaustedText,
        Prefill prefill,
        boolean validatesInBackground,
        List<String> poolSizeSettings,
        String blockingTimeoutSetting,
        String leakReportText,
        boolean validatesOnBorrow,
        boolean dropsDeadIdleConnections,
        boolean borrowerSeesConfigErrors,
        String exampleStatistic,
        Class<?> directInjectionProbe,
        Path serverLog,
        String timerTable,
        String scheduleTimerQuery,
        Pattern warningLine) {

    /** When a server fills its pool to min (Liberty never does: its min only stops the reaper from going lower). */
    public enum Prefill { ON_ACTIVATION, ON_FIRST_BORROW, NEVER }

    /** Whether a line of the server log is a warning, an error or worse. */
    public boolean warns(String line) {
        return warningLine.matcher(line).find();
    }

    /** Sessions a pool keeps open once one borrower has used it. */
    public int sessionsAfterFirstBorrow(int min) {
        return prefill == Prefill.NEVER ? 1 : min;
    }

    /** The global name of the XA connection definition the scenarios configure for a database. */
    public String xaJndiName(TestDatabase database) {
        return xaJndiNamePrefix + database.name();
    }
}
