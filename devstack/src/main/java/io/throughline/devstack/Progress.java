package io.throughline.devstack;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Waits for a condition and shows that it is waiting: elapsed seconds on one line per component. */
final class Progress {

    private final PrintStream out;

    Progress(PrintStream out) {
        this.out = out;
    }

    void step(String message) {
        out.println("  - " + message);
    }

    void done(String component, String message) {
        out.println("  \u2713 " + pad(component) + message);
    }

    /** Polls until ready, printing a dot every few seconds; fails with the component's log on timeout. */
    void await(String component, Duration timeout, Callable<Boolean> ready, ManagedProcess process) throws Exception {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        long lastDot = start;
        out.print("  \u2026 " + pad(component) + "starting");
        out.flush();
        while (true) {
            boolean isReady;
            try {
                isReady = ready.call();
            } catch (Exception e) {
                isReady = false;
            }
            long now = System.nanoTime();
            if (isReady) {
                out.println(" ready in " + Duration.ofNanos(now - start).toSeconds() + " s");
                return;
            }
            if (process != null && !process.alive()) {
                out.println(" exited");
                throw new IllegalStateException(component + " exited during start; see " + process.log());
            }
            if (now > deadline) {
                out.println(" timed out");
                throw new IllegalStateException(component + " was not ready after " + timeout.toSeconds() + " s"
                        + (process == null ? "" : "; see " + process.log()));
            }
            if (now - lastDot > Duration.ofSeconds(3).toNanos()) {
                out.print(".");
                out.flush();
                lastDot = now;
            }
            Thread.sleep(250);
        }
    }

    private static String pad(String component) {
        return String.format("%-21s ", component);
    }
}
