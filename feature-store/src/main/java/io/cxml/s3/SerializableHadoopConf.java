package io.cxml.s3;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/**
 * Carries the driver's Hadoop configuration to executors, so that code opening files there sees the same S3A
 * settings as Spark's own readers ({@code new Configuration()} on an executor would not: {@code spark.hadoop.*}
 * settings live only in the SparkContext's configuration). It may hold credentials: never log it.
 */
public final class SerializableHadoopConf implements Serializable {
    private static final long serialVersionUID = 1L;

    private transient Configuration conf;

    /** @param conf the configuration to carry (copied) */
    public SerializableHadoopConf(Configuration conf) {
        this.conf = new Configuration(conf);
    }

    /** @return the configuration */
    public Configuration get() {
        return conf;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        conf.write(out);
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        conf = new Configuration(false);
        conf.readFields(in);
    }
}
