package io.stowage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StorageExceptionTest {

    @Test
    void a_failed_precondition_names_the_key_and_backend_when_there_are_some() {
        StorageException e = StorageException.preconditionFailed("s3", BlobKey.of("a/b"), "etag changed");
        assertThat(e.kind()).isEqualTo(ErrorKind.PRECONDITION_FAILED);
        assertThat(e.getMessage()).isEqualTo("PRECONDITION_FAILED: precondition failed for 'a/b' in backend 's3': etag changed");
    }

    @Test
    void a_failed_precondition_about_no_key_says_no_null() {
        StorageException e = StorageException.preconditionFailed(null, null, "nothing was uploaded yet");
        assertThat(e.getMessage()).isEqualTo("PRECONDITION_FAILED: precondition failed: nothing was uploaded yet");
    }
}
