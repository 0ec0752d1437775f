package io.throughline.tracking.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * A bounded on-disk write-ahead log of acknowledged batches: records are appended to segment files and
 * fsync'd in groups (one force per burst of concurrent appends), then read back in order by one consumer
 * that commits its position. Each record carries its length and a CRC32, so a torn tail left by a crash is
 * cut off at the next start. A future returned by {@link #append} completes only once the record is on disk.
 */
public final class Spool implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Spool.class);
    private static final String SEGMENT_PREFIX = "segment-";
    private static final String SEGMENT_SUFFIX = ".log";

    private final Path directory;
    private final long maxBytes;
    private final long segmentBytes;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final Object lock = new Object();

    /** Segment number -> its durable length. Guarded by {@link #lock}. */
    private final TreeMap<Long, Long> segments = new TreeMap<>();
    private FileChannel active;
    private long activeSeq;
    private long readSeq;
    private long readOffset;
    private long reserved;
    private long records;
    private volatile boolean closed;

    /** One record read back, with the position after it (what {@link #commit} moves to). */
    public record Entry(byte[] payload, long segment, long nextOffset) {
    }

    /** The spool is at its bound: the caller must refuse new batches (503) until it drains. */
    public static final class Full extends RuntimeException {
        public Full(String message) {
            super(message, null, false, false);
        }
    }

    private record Pending(byte[] record, CompletableFuture<Void> done) {
    }

    public Spool(Path directory, long maxBytes, long segmentBytes) {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        try {
            Files.createDirectories(directory);
            recover();
        } catch (IOException e) {
            throw new UncheckedIOException("spool directory " + directory + " is not usable", e);
        }
        writer = new Thread(this::writeLoop, "spool-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues a record; the future completes once it is fsync'd. Throws {@link Full} when the bound is reached. */
    public CompletableFuture<Void> append(byte[] payload) {
        byte[] record = SpoolFormat.frame(payload);
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("spool closed");
            }
            if (bytesLocked() + reserved + record.length > maxBytes) {
                throw new Full("the spool holds " + bytesLocked() + " of " + maxBytes + " bytes");
            }
            reserved += record.length;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        queue.add(new Pending(record, done));
        return done;
    }

    /** The oldest record not yet committed, or null when everything durable was read. */
    public Entry peek() {
        synchronized (lock) {
            while (true) {
                Long durable = segments.get(readSeq);
                if (durable == null) {
                    Long next = segments.higherKey(readSeq);
                    if (next == null) {
                        return null;
                    }
                    readSeq = next;
                    readOffset = 0;
                    continue;
                }
                if (readOffset + SpoolFormat.HEADER <= durable) {
                    return read(readSeq, readOffset);
                }
                Long next = segments.higherKey(readSeq);
                if (next == null || readSeq == activeSeq) {
                    return null;
                }
                deleteSegment(readSeq);
                readSeq = next;
                readOffset = 0;
            }
        }
    }

    /**
     * The first {@code headBytes} bytes (all of a shorter one) of every durable record not yet consumed, oldest first; the
     * rest of each record is not read, and the read position does not move (a look at what waits).
     */
    public void forEachPending(int headBytes, java.util.function.Consumer<byte[]> action) {
        synchronized (lock) {
            for (var e : segments.tailMap(readSeq, true).entrySet()) {
                try {
                    SpoolFormat.forEach(segment(e.getKey()), e.getKey() == readSeq ? readOffset : 0, e.getValue(), headBytes, action);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }
    }

    /** Marks a record consumed; segments read to the end are deleted, and the position survives a restart. */
    public void commit(Entry entry) {
        synchronized (lock) {
            readSeq = entry.segment();
            readOffset = entry.nextOffset();
            records = Math.max(0, records - 1);
            Long durable = segments.get(readSeq);
            if (durable != null && readOffset >= durable && readSeq != activeSeq) {
                deleteSegment(readSeq);
                Long next = segments.higherKey(readSeq);
                readSeq = next == null ? activeSeq : next;
                readOffset = 0;
            }
            writeCheckpoint();
        }
    }

    /** True when nothing is queued and every durable record was consumed. */
    public boolean isDrained() {
        synchronized (lock) {
            return reserved == 0 && queue.isEmpty() && peekPositionAtEnd();
        }
    }

    /** Bytes waiting for the consumer. */
    public long bytes() {
        synchronized (lock) {
            return bytesLocked() + reserved;
        }
    }

    public long records() {
        synchronized (lock) {
            return records + queue.size();
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Runs {@code action} while no append can start: lets the owner switch modes exactly when the spool is drained. */
    public boolean runIfDrained(Runnable action) {
        synchronized (lock) {
            if (reserved == 0 && queue.isEmpty() && peekPositionAtEnd()) {
                action.run();
                return true;
            }
            return false;
        }
    }

    private boolean peekPositionAtEnd() {
        for (var e : segments.tailMap(readSeq, true).entrySet()) {
            long start = e.getKey() == readSeq ? readOffset : 0;
            if (e.getValue() > start) {
                return false;
            }
        }
        return true;
    }

    private long bytesLocked() {
        long total = 0;
        for (var e : segments.tailMap(readSeq, true).entrySet()) {
            total += e.getValue() - (e.getKey() == readSeq ? Math.min(readOffset, e.getValue()) : 0);
        }
        return total;
    }

    private void writeLoop() {
        List<Pending> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, 4096);
                writeGroup(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "The spool could not write %d records; they were not acknowledged", group.size());
                synchronized (lock) {
                    group.forEach(p -> reserved -= p.record().length);
                }
                group.forEach(p -> p.done().completeExceptionally(e));
            }
            group.clear();
        }
    }

    private void writeGroup(List<Pending> group) throws IOException {
        long written = 0;
        FileChannel channel;
        long seq;
        synchronized (lock) {
            if (active == null || segments.get(activeSeq) >= segmentBytes) {
                roll();
            }
            channel = active;
            seq = activeSeq;
        }
        ByteBuffer[] buffers = group.stream().map(p -> ByteBuffer.wrap(p.record())).toArray(ByteBuffer[]::new);
        long total = 0;
        for (ByteBuffer b : buffers) {
            total += b.remaining();
        }
        while (written < total) {
            written += channel.write(buffers);
        }
        channel.force(false);
        synchronized (lock) {
            segments.merge(seq, written, Long::sum);
            reserved -= written;
            records += group.size();
        }
        group.forEach(p -> p.done().complete(null));
    }

    private void roll() throws IOException {
        if (active != null) {
            active.force(true);
            active.close();
        }
        activeSeq = segments.isEmpty() ? 1 : segments.lastKey() + 1;
        active = FileChannel.open(segment(activeSeq), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        segments.put(activeSeq, 0L);
        // The directory entry of the new file must be durable too.
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException ignored) {
            // some file systems do not allow opening directories; the file itself is still forced
        }
    }

    private Entry read(long seq, long offset) {
        byte[] payload = SpoolFormat.readAt(segment(seq), offset);
        return new Entry(payload, seq, offset + SpoolFormat.HEADER + payload.length);
    }

    /** At start: segments from the checkpoint on, each cut at its last whole record. */
    private void recover() throws IOException {
        long checkpointSeq = 0;
        long checkpointOffset = 0;
        Path checkpoint = directory.resolve("checkpoint");
        if (Files.exists(checkpoint)) {
            String[] parts = Files.readString(checkpoint, StandardCharsets.US_ASCII).trim().split(":");
            checkpointSeq = Long.parseLong(parts[0]);
            checkpointOffset = Long.parseLong(parts[1]);
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(SEGMENT_PREFIX) || !name.endsWith(SEGMENT_SUFFIX)) {
                    continue;
                }
                long seq = Long.parseLong(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
                if (seq < checkpointSeq) {
                    Files.delete(file);
                    continue;
                }
                segments.put(seq, SpoolFormat.validLength(file));
            }
        }
        readSeq = segments.isEmpty() ? 0 : Math.max(checkpointSeq, segments.firstKey());
        readOffset = readSeq == checkpointSeq ? checkpointOffset : 0;
        for (var e : segments.tailMap(readSeq, true).entrySet()) {
            records += SpoolFormat.countRecords(segment(e.getKey()), e.getKey() == readSeq ? readOffset : 0, e.getValue());
        }
        if (records > 0) {
            LOG.infof("The spool holds %d batches from before the restart; they are replayed into the store", records);
        }
    }

    private void writeCheckpoint() {
        try {
            Path tmp = directory.resolve("checkpoint.tmp");
            Files.writeString(tmp, readSeq + ":" + readOffset, StandardCharsets.US_ASCII);
            Files.move(tmp, directory.resolve("checkpoint"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // Losing the checkpoint only replays records again; the store drops what it already has.
            LOG.warnf("Could not write the spool checkpoint: %s", e.getMessage());
        }
    }

    private void deleteSegment(long seq) {
        segments.remove(seq);
        try {
            Files.deleteIfExists(segment(seq));
        } catch (IOException e) {
            LOG.warnf("Could not delete spool segment %d: %s", seq, e.getMessage());
        }
    }

    private Path segment(long seq) {
        return directory.resolve(String.format("%s%016d%s", SEGMENT_PREFIX, seq, SEGMENT_SUFFIX));
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            try {
                if (active != null) {
                    active.force(true);
                    active.close();
                }
            } catch (IOException e) {
                LOG.warnf("Closing the spool: %s", e.getMessage());
            }
        }
    }
}
