package io.cxml.warehouse;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.apache.spark.sql.jdbc.JdbcConnectionProvider;
import scala.collection.immutable.Map;

/**
 * Opens the JDBC connections of Spark's JDBC reader and writer for cxml, without logging. Spark's own
 * {@code BasicConnectionProvider} logs the connection properties, password included, at DEBUG; cxml's reads and
 * writes select this provider by name ({@link #OPTION} = {@value #NAME}), so credentials never reach a log whatever
 * its level. Registered through {@code META-INF/services}.
 */
public final class QuietConnectionProvider extends JdbcConnectionProvider {
    /** The Spark JDBC option that selects a connection provider. */
    public static final String OPTION = "connectionProvider";
    /** This provider's name. */
    public static final String NAME = "cxml-quiet";

    /** Spark's own JDBC options, which are not driver properties. */
    private static final Set<String> SPARK_OPTIONS = Set.of("url", "dbtable", "query", "driver", "partitioncolumn",
            "lowerbound", "upperbound", "numpartitions", "querytimeout", "fetchsize", "truncate", "cascadetruncate",
            "createtableoptions", "createtablecolumntypes", "customschema", "batchsize", "isolationlevel",
            "sessioninitstatement", "pushdownpredicate", "pushdownaggregate", "pushdownlimit", "pushdownoffset",
            "pushdowntablesample", "keytab", "principal", "tablecomment", "refreshkrb5config",
            "connectionprovider", "preparequery", "prefertimestampntz", "hint");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean canHandle(Driver driver, Map<String, String> options) {
        return options.contains("url");
    }

    @Override
    public Connection getConnection(Driver driver, Map<String, String> options) {
        Properties props = new Properties();
        scala.collection.Iterator<scala.Tuple2<String, String>> it = options.iterator();
        while (it.hasNext()) {
            scala.Tuple2<String, String> kv = it.next();
            if (!SPARK_OPTIONS.contains(kv._1().toLowerCase(Locale.ROOT))) {
                props.setProperty(kv._1(), kv._2());
            }
        }
        String url = options.apply("url");
        try {
            Connection c = driver.connect(url, props);
            if (c == null) {
                throw new SQLException("driver " + driver.getClass().getName() + " does not accept URL " + url);
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot connect to " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean modifiesSecurityContext(Driver driver, Map<String, String> options) {
        return false;
    }
}
