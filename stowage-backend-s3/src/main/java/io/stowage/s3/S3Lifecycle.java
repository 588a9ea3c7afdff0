package io.stowage.s3;

import io.stowage.Lifecycle;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;


/** The bucket's lifecycle configuration as {@link Lifecycle} rules; rules replace each other as a set. */
final class S3Lifecycle implements Lifecycle {

    private final java.util.function.Supplier<S3Client> s3;
    private final S3BlobStoreConfig config;
    private final S3Errors errors;
    private final S3BlobStore store;

    S3Lifecycle(java.util.function.Supplier<S3Client> s3, S3BlobStoreConfig config, S3Errors errors, S3BlobStore store) {
        this.s3 = s3;
        this.config = config;
        this.errors = errors;
        this.store = store;
    }

    @Override
    public List<Rule> rules() {
        store.ensureBucket();
        try {
            List<Rule> out = new ArrayList<>();
            for (LifecycleRule r : s3.get().getBucketLifecycleConfiguration(g -> g.bucket(config.bucket()).overrideConfiguration(S3Clients.metadataCall(config))).rules()) {
                String prefix = r.filter() != null && r.filter().prefix() != null ? r.filter().prefix()
                        : r.prefix() == null ? "" : r.prefix();
                List<Lifecycle.Transition> transitions = r.transitions().stream()
                        .map(t -> new Lifecycle.Transition(t.days() == null ? 0 : t.days(), t.storageClassAsString()))
                        .toList();
                int expire = r.expiration() != null && r.expiration().days() != null ? r.expiration().days() : 0;
                int abort = r.abortIncompleteMultipartUpload() != null
                        && r.abortIncompleteMultipartUpload().daysAfterInitiation() != null
                        ? r.abortIncompleteMultipartUpload().daysAfterInitiation() : 0;
                out.add(new Rule(r.id(), prefix, transitions, expire, abort));
            }
            return out;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : String.valueOf(e.awsErrorDetails().errorCode());
            if (code.equals("NoSuchLifecycleConfiguration")) {
                return List.of();
            }
            throw errors.translate(e, "get lifecycle rules", null);
        } catch (SdkException e) {
            throw errors.translate(e, "get lifecycle rules", null);
        }
    }

    @Override
    public void setRules(List<Rule> rules) {
        store.ensureBucket();
        try {
            if (rules.isEmpty()) {
                s3.get().deleteBucketLifecycle(d -> d.bucket(config.bucket()).overrideConfiguration(S3Clients.metadataCall(config)));
                return;
            }
            List<LifecycleRule> s3Rules = new ArrayList<>();
            for (Rule r : rules) {
                LifecycleRule.Builder b = LifecycleRule.builder().id(r.id()).status(ExpirationStatus.ENABLED)
                        .filter(LifecycleRuleFilter.builder().prefix(r.prefix()).build())
                        .transitions(r.transitions().stream().map(t -> software.amazon.awssdk.services.s3.model.Transition.builder().days(t.afterDays())
                                .storageClass(S3BlobStoreConfig.storageClass(config.name(), t.storageClass())).build())
                                .toList());
                if (r.expireAfterDays() > 0) {
                    b.expiration(e -> e.days(r.expireAfterDays()));
                }
                if (r.abortIncompleteUploadsAfterDays() > 0) {
                    b.abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(r.abortIncompleteUploadsAfterDays()));
                }
                s3Rules.add(b.build());
            }
            s3.get().putBucketLifecycleConfiguration(p -> p.bucket(config.bucket()).overrideConfiguration(S3Clients.metadataCall(config))
                    .lifecycleConfiguration(c -> c.rules(s3Rules)));
        } catch (SdkException e) {
            throw errors.translate(e, "set lifecycle rules", null);
        }
    }
}
