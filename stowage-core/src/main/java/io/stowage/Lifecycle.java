package io.stowage;

import java.util.List;

/**
 * Backend-side lifecycle rules (transition after N days, expiration, abort incomplete uploads),
 * obtained through {@code store.feature(Lifecycle.class)}. Rules replace each other as a whole set.
 */
public interface Lifecycle {

    /** The rules in force, empty when none. */
    List<Rule> rules();

    /** Replaces every rule with {@code rules} (an empty list removes them all). */
    void setRules(List<Rule> rules);

    /**
     * One rule for keys under {@code prefix}.
     *
     * @param expireAfterDays delete objects this many days after creation; 0 for never
     * @param abortIncompleteUploadsAfterDays abort unfinished multipart uploads after this many days; 0 for never
     */
    record Rule(String id, String prefix, List<Transition> transitions, int expireAfterDays,
            int abortIncompleteUploadsAfterDays) {
        public Rule {
            transitions = List.copyOf(transitions);
            if (expireAfterDays < 0 || abortIncompleteUploadsAfterDays < 0) {
                throw StorageException.invalidArgument("lifecycle days must be >= 0");
            }
        }
    }

    /** Move objects to a native storage class this many days after creation. */
    record Transition(int afterDays, String storageClass) {
    }
}
