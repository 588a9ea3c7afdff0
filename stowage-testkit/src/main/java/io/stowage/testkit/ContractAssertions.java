package io.stowage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions about how Stowage operations fail. */
public final class ContractAssertions {

    private ContractAssertions() {
    }

    /**
     * Asserts that {@code call} fails with a {@link StorageException} of {@code kind}; anything else
     * (success, another kind, another exception type) fails with what actually happened.
     */
    public static StorageException assertFails(ErrorKind kind, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a StorageException of kind %s", kind)
                .isInstanceOf(StorageException.class);
        StorageException e = (StorageException) thrown;
        assertThat(e.kind()).as("kind of: %s", e.getMessage()).isEqualTo(kind);
        return e;
    }
}
