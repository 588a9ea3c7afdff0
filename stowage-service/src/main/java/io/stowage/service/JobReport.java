package io.stowage.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link MaintenanceJob} run did (or, in a dry run, would do): named counts in the order the job first
 * counted them ({@code removed}, {@code bytes}, {@code repaired}…), and one message per item that failed. Messages
 * name ids and keys, never content or secrets.
 */
public record JobReport(Map<String, Long> counts, List<String> errors) {

    /** Errors kept in a report; past it, {@code errors_dropped} counts the rest. */
    public static final int MAX_ERRORS = 100;

    public JobReport {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        errors = List.copyOf(errors);
    }

    /** A report of nothing done. */
    public static JobReport empty() {
        return new JobReport(Map.of(), List.of());
    }

    /** The count of {@code name}, zero when the job never counted it. */
    public long count(String name) {
        return counts.getOrDefault(name, 0L);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Counts and errors as a job gathers them; not thread-safe. */
    public static final class Builder {

        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final List<String> errors = new ArrayList<>();

        private Builder() {
        }

        /** Adds {@code n} to the count of {@code name}. */
        public Builder add(String name, long n) {
            counts.merge(name, n, Long::sum);
            return this;
        }

        /** Adds one to the count of {@code name}. */
        public Builder count(String name) {
            return add(name, 1);
        }

        /** Records a failed item. */
        public Builder error(String message) {
            if (errors.size() < MAX_ERRORS) {
                errors.add(message);
            } else {
                count("errors_dropped");
            }
            return this;
        }

        public JobReport build() {
            return new JobReport(counts, errors);
        }
    }
}
