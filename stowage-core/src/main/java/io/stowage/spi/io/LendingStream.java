package io.stowage.spi.io;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A stream that can lend the buffers it reads into. A writer that finds its content's stream is one takes the bytes
 * from those buffers instead of reading them into its own: a tus chunk's bytes are hashed on another thread from the
 * very buffers its part is written from, not from a copy (decision 0089). A writer that does not know this interface
 * reads the stream as any other.
 */
public interface LendingStream {

    /**
     * The next bytes of the stream, in a buffer of its own: the caller's until the next call or until the stream is
     * closed, only to be read. An empty buffer at the end of the stream. A stream is either lent from or read, not both.
     */
    ByteBuffer lend() throws IOException;
}
