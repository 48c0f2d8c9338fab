package io.cxml.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A server run as a child process for tests: started on 127.0.0.1, waited for, stopped by its own handle. */
public final class ChildProcess implements AutoCloseable {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final int port;
    private Process process;

    /**
     * @param name what runs, for messages
     * @param command the command line
     * @param log file that receives stdout and stderr (appended)
     * @param port the port the server listens on
     */
    public ChildProcess(String name, List<String> command, Path log, int port) {
        this.name = name;
        this.command = List.copyOf(command);
        this.log = log;
        this.port = port;
    }

    /** @return a free port on 127.0.0.1 */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot find a free port: " + e.getMessage(), e);
        }
    }

    /**
     * Starts the process and waits until its port accepts connections.
     *
     * @param timeout how long to wait
     * @return this
     */
    public synchronized ChildProcess start(Duration timeout) {
        if (process != null && process.isAlive()) {
            return this;
        }
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Cannot start " + name + ": it exited with " + process.exitValue()
                        + "; see " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return this;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        stop();
        throw new IllegalStateException("Cannot start " + name + ": port " + port + " not open after " + timeout
                + "; see " + log);
    }

    /** Stops the process (destroy, then force after 10 s) and waits for the port to close. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** @return the port */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        stop();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
