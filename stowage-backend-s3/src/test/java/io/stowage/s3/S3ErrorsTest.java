package io.stowage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.BlobKey;
import io.stowage.ErrorKind;
import io.stowage.StorageException;
import io.stowage.spi.BackendConfig;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The translator fed with the status and error code of real S3 error responses (as AWS documents and
 * returns them), for answers neither test server gives: archived objects, throttling, outages.
 */
class S3ErrorsTest {

    private final S3Errors errors = new S3Errors(S3BlobStoreConfig.from(new BackendConfig("prod", "aws_s3",
            Map.of("bucket", "files", "access_key", "AKIAEXAMPLE", "secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCY"),
            Path.of("target"))));

    private static S3Exception s3(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code + " (recorded)").build())
                .build();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "404, NoSuchKey, NOT_FOUND, false",
            "404, NoSuchBucket, NOT_FOUND, false",
            "403, InvalidObjectState, PRECONDITION_FAILED, false",
            "403, AccessDenied, PERMISSION_DENIED, false",
            "403, InvalidAccessKeyId, PERMISSION_DENIED, false",
            "403, SignatureDoesNotMatch, PERMISSION_DENIED, false",
            "412, PreconditionFailed, PRECONDITION_FAILED, false",
            "503, SlowDown, RATE_LIMITED, true",
            "500, InternalError, UNAVAILABLE, true",
            "503, ServiceUnavailable, UNAVAILABLE, true",
            "501, NotImplemented, UNSUPPORTED, false",
            "400, InvalidArgument, INVALID_ARGUMENT, false",
            "400, XAmzContentSHA256Mismatch, INTEGRITY, false",
            "400, BadDigest, INTEGRITY, false"})
    void recorded_s3_errors_translate_to_kinds(int status, String code, ErrorKind kind, boolean retryable) {
        StorageException e = errors.translate(s3(status, code), "get", BlobKey.of("a/b.txt"));
        assertThat(e.kind()).isEqualTo(kind);
        assertThat(e.retryable()).isEqualTo(retryable);
        assertThat(e.getCause()).isInstanceOf(S3Exception.class);
        assertThat(e.backend()).contains("prod");
        assertThat(e.getMessage()).doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void reading_an_archived_object_says_it_must_be_restored_first() {
        StorageException e = errors.translate(s3(403, "InvalidObjectState"), "get", BlobKey.of("cold/x.bin"));
        assertThat(e.getMessage()).contains("archived", "restored", "cold/x.bin", "'stowage restore'", "Tiered.restore");
    }

    @Test
    void bad_credentials_name_the_aws_environment_names_and_mask_the_secret() {
        StorageException e = errors.translate(s3(403, "SignatureDoesNotMatch"), "put", null);
        assertThat(e.getMessage()).contains("AWS_SECRET_ACCESS_KEY", "AKIAEXAMPLE", "****").doesNotContain("wJalrXUtnFEMI");
    }

    @Test
    void an_unreachable_endpoint_is_unavailable_and_retryable() {
        StorageException e = errors.translate(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")), "stat", BlobKey.of("a"));
        assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
        assertThat(e.retryable()).isTrue();
        assertThat(e.getMessage()).contains("endpoint");
    }
}
