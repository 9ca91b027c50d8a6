package dev.sluice.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Random access to the bytes of one segment through a read-ahead window, so that parsing record
 * after record costs one read per window, not one per field. Not thread-safe.
 */
final class SegmentSource {
    private static final int WINDOW = 1 << 20;

    private final FileChannel channel;
    private final byte[] bytes;
    private long size;
    private byte[] window = new byte[0];
    private long windowStart;
    private int windowLength;

    private SegmentSource(FileChannel channel, byte[] bytes, long size) {
        this.channel = channel;
        this.bytes = bytes;
        this.size = size;
    }

    static SegmentSource of(FileChannel channel) throws IOException {
        return new SegmentSource(channel, null, channel.size());
    }

    static SegmentSource of(byte[] bytes) {
        return new SegmentSource(null, bytes, bytes.length);
    }

    long size() {
        return size;
    }

    /** Re-reads the size of a file that is still growing. */
    void refreshSize() throws IOException {
        if (channel != null) {
            size = channel.size();
        }
    }

    /**
     * Copies {@code length} bytes at {@code position} into a byte array and returns the array and
     * the offset of the first byte in it. The caller must have checked the range lies in the file.
     */
    byte[] bytesAt(long position, int length, int[] offsetOut) throws IOException {
        if (bytes != null) {
            offsetOut[0] = (int) position;
            return bytes;
        }
        if (position >= windowStart && position + length <= windowStart + windowLength) {
            offsetOut[0] = (int) (position - windowStart);
            return window;
        }
        int want = (int) Math.min(Math.max(WINDOW, length), size - position);
        if (window.length < want) {
            window = new byte[Math.max(want, WINDOW)];
        }
        ByteBuffer dst = ByteBuffer.wrap(window, 0, want);
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                break;
            }
            at += n;
        }
        windowStart = position;
        windowLength = dst.position();
        if (windowLength < length) {
            throw new IOException("segment shrank while reading: wanted " + length + " bytes at " + position);
        }
        offsetOut[0] = 0;
        return window;
    }

    /** Forgets the window (after the file changed under it). */
    void invalidate() {
        windowLength = 0;
    }
}
