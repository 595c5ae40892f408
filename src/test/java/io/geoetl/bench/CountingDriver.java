package io.geoetl.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * A JDBC driver in front of pgjdbc that counts what the service sends: every statement execution (a
 * batch counts once, as one round trip) by the start of its SQL, and every commit and rollback. The
 * URL is pgjdbc's with {@code counting:} after {@code jdbc:}. pg_stat_statements would count on the
 * server, but it needs shared_preload_libraries, so a restart of the shared server; counting in the
 * driver leaves HikariDataSource and everything above it as they are in production.
 */
public final class CountingDriver implements Driver {

    private static final String PREFIX = "jdbc:counting:";
    private static final Map<String, LongAdder> EXECUTIONS = new ConcurrentHashMap<>();

    static {
        try {
            DriverManager.registerDriver(new CountingDriver());
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Executions so far by statement (its first words), plus COMMIT and ROLLBACK. */
    public static Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        EXECUTIONS.forEach((sql, count) -> copy.put(sql, count.sum()));
        return copy;
    }

    private static void count(String sql) {
        EXECUTIONS.computeIfAbsent(sql, key -> new LongAdder()).increment();
    }

    /** Whitespace collapsed and cut, so the same statement with other arguments is one key. */
    static String key(String sql) {
        if (sql == null) {
            return "(unknown)";
        }
        String flat = sql.replaceAll("\\s+", " ").trim();
        return flat.length() > 90 ? flat.substring(0, 90) : flat;
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        Connection real = DriverManager.getConnection("jdbc:" + url.substring(PREFIX.length()), info);
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, new ConnectionHandler(real));
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX);
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private record ConnectionHandler(Connection real) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            Object result = CountingDriver.invoke(real, method, args);
            switch (name) {
                case "commit" -> count("COMMIT");
                case "rollback" -> count(args == null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT");
                case "prepareStatement" -> {
                    return wrap(result, PreparedStatement.class, key((String) args[0]));
                }
                case "prepareCall" -> {
                    return wrap(result, CallableStatement.class, key((String) args[0]));
                }
                case "createStatement" -> {
                    return wrap(result, Statement.class, null);
                }
                default -> {
                }
            }
            return result;
        }

        private static Object wrap(Object statement, Class<?> type, String sql) {
            return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    new StatementHandler((Statement) statement, sql));
        }
    }

    private record StatementHandler(Statement real, String sql) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (name.startsWith("execute")) {
                String text = sql != null ? sql : args != null && args.length > 0 && args[0] instanceof String s
                        ? key(s) : "(unknown)";
                count(name.startsWith("executeBatch") || name.startsWith("executeLargeBatch") ? "(batch) " + text
                        : text);
            }
            return CountingDriver.invoke(real, method, args);
        }
    }
}
