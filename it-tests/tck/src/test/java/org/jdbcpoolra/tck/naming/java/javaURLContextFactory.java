package org.jdbcpoolra.tck.naming.java;

import java.lang.reflect.Proxy;
import java.util.Hashtable;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.naming.Name;
import javax.naming.NameNotFoundException;
import javax.naming.spi.ObjectFactory;

import org.jdbcpoolra.tck.ejb.DeployedVehicle;

/**
 * The java: namespace of the in-process vehicle client (found through java.naming.factory.url.pkgs): it knows one
 * name, the vehicle's ejb/EJBVehicle reference, and answers it with the remote stateful bean of the EAR deployed
 * for the current test class, through WildFly's client (bin/client/jboss-client.jar on the test class path).
 */
public final class javaURLContextFactory implements ObjectFactory {
    private static final String VEHICLE = "java:comp/env/ejb/EJBVehicle";

    @Override
    public Object getObjectInstance(Object object, Name name, Context context, Hashtable<?, ?> environment) {
        return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, arguments) -> switch (method.getName()) {
                    case "lookup" -> lookup(String.valueOf(arguments[0]));
                    case "close" -> null;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static Object lookup(String name) throws Exception {
        if (!VEHICLE.equals(name)) {
            throw new NameNotFoundException(name);
        }
        String application = DeployedVehicle.application();
        Hashtable<String, String> environment = new Hashtable<>();
        environment.put(Context.INITIAL_CONTEXT_FACTORY, "org.wildfly.naming.client.WildFlyInitialContextFactory");
        environment.put(Context.PROVIDER_URL, "remote+http://127.0.0.1:" + (8080 + Integer.getInteger(
                "tck.port.offset", 500)));
        String bean = "ejb:" + application + "/" + DeployedVehicle.module()
                + "/com_sun_ts_tests_common_vehicle_ejb_EJBVehicle"
                + "!com.sun.ts.tests.common.vehicle.ejb.EJBVehicleRemote?stateful";
        // A bean deployed a moment ago, on a busy machine, is sometimes not yet reachable (EJBCLIENT000409: no more
        // destinations): the harness's lookup, not the JDBC under test, so it may try again.
        for (int attempt = 1;; attempt++) {
            try {
                return new InitialContext(environment).lookup(bean);
            } catch (javax.naming.CommunicationException notYet) {
                if (attempt == 10) {
                    throw notYet;
                }
                Thread.sleep(1000);
            }
        }
    }
}
