package io.throughline.tracking.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.jboss.logging.Logger;

/**
 * The spool's record format on disk: a 4-byte length, a 4-byte CRC32 of the payload, the payload. A segment is
 * valid up to its last whole record with a matching CRC; anything after it is a torn write to cut off.
 */
final class SpoolFormat {

    static final int HEADER = 8;
    private static final Logger LOG = Logger.getLogger(SpoolFormat.class);

    private SpoolFormat() {
    }

    static byte[] readAt(Path file, long offset) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            channel.read(header, offset);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            byte[] payload = new byte[length];
            channel.read(ByteBuffer.wrap(payload), offset + HEADER);
            if (crc(payload) != crc) {
                throw new IllegalStateException("spool record at " + file.getFileName() + ":" + offset + " is corrupt");
            }
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long validLength(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long offset = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            while (offset + HEADER <= size) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                int length = header.getInt();
                int crc = header.getInt();
                if (length < 0 || offset + HEADER + length > size) {
                    break;
                }
                byte[] payload = new byte[length];
                channel.read(ByteBuffer.wrap(payload), offset + HEADER);
                if (crc(payload) != crc) {
                    break;
                }
                offset += HEADER + length;
            }
            if (offset < size) {
                LOG.warnf("Cutting a torn tail of %d bytes off %s", size - offset, file.getFileName());
                channel.truncate(offset);
                channel.force(true);
            }
            return offset;
        }
    }

    static long countRecords(Path file, long from, long to) throws IOException {
        long count = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            for (long offset = from; offset + HEADER <= to; count++) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                offset += HEADER + header.getInt();
            }
        }
        return count;
    }

    /** Each record's payload in [from, to) of a segment, in order. */
    static void forEach(Path file, long from, long to, int headBytes, java.util.function.Consumer<byte[]> action) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER);
            for (long offset = from; offset + HEADER <= to; ) {
                header.clear();
                channel.read(header, offset);
                header.flip();
                int length = header.getInt();
                byte[] head = new byte[Math.min(length, headBytes)];
                channel.read(ByteBuffer.wrap(head), offset + HEADER);
                action.accept(head);
                offset += HEADER + length;
            }
        }
    }

    static byte[] frame(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(payload.length).putInt(crc(payload)).put(payload);
        return b.array();
    }

    static int crc(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
