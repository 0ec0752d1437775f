package io.throughline.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Servers a benchmark measures, each in its own JVM with the same flags, stopped when the benchmark ends. */
final class ChildProcesses implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final Path logs;

    ChildProcesses(Path logs) {
        this.logs = logs;
    }

    /** Starts {@code mainClass} (from this benchmark's class path) and waits until it listens on {@code port}. */
    Process java(String name, int port, List<String> jvmArgs, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms512m", "-Xmx512m"));
        command.addAll(jvmArgs);
        String extra = System.getProperty("bench.java-jvm-args", "").replace("{name}", name);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath(), mainClass));
        command.addAll(List.of(args));
        return start(name, port, command);
    }

    /** Starts a runnable jar (a Quarkus app) with system properties, and waits until it listens on {@code port}. */
    Process jar(String name, int port, Path jar, List<String> properties) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xms512m", "-Xmx512m", "--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        String extra = System.getProperty("bench.jar-jvm-args", "").replace("{name}", name);
        if (!extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        properties.forEach(p -> command.add("-D" + p));
        command.addAll(List.of("-jar", jar.toString()));
        return start(name, port, command);
    }

    private Process start(String name, int port, List<String> command) throws IOException, InterruptedException {
        java.nio.file.Files.createDirectories(logs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logs.resolve(name + ".log").toFile()).start();
        processes.add(process);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!listening(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not start; see " + logs.resolve(name + ".log"));
            }
            Thread.sleep(200);
        }
        return process;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The class path this code runs with, also under exec:java (whose java.class.path is Maven's own). */
    static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader loader = ChildProcesses.class.getClassLoader(); loader != null; loader = loader.getParent()) {
            if (loader instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException ignored) {
                        // not a file
                    }
                }
            }
        }
        if (entries.isEmpty()) {
            return System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, entries);
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(15, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
