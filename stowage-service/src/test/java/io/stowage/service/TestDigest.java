package io.stowage.service;

import java.security.MessageDigest;

/** A SHA-256 for tests that calls {@link #fed} on the feeding thread before each update; its copies share nothing. */
abstract class TestDigest extends MessageDigest implements Cloneable {

    private MessageDigest real = io.stowage.spi.io.Sha256.newDigest();

    TestDigest() {
        super("SHA-256");
    }

    /** {@code len} bytes are about to be hashed: may wait, note the thread, or throw. */
    abstract void fed(int len);

    @Override
    protected void engineUpdate(byte input) {
        engineUpdate(new byte[] {input}, 0, 1);
    }

    @Override
    protected void engineUpdate(byte[] input, int offset, int len) {
        fed(len);
        real.update(input, offset, len);
    }

    @Override
    protected byte[] engineDigest() {
        return real.digest();
    }

    @Override
    protected void engineReset() {
        real.reset();
    }

    @Override
    public Object clone() throws CloneNotSupportedException {
        TestDigest copy = (TestDigest) super.clone();
        copy.real = (MessageDigest) real.clone();
        return copy;
    }
}
