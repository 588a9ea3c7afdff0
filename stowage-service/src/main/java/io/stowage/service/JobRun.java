package io.stowage.service;

import java.time.Instant;
import java.util.Optional;

/**
 * A run of a maintenance job as the catalog records it: which node ran it, when, whether it was a dry run, how
 * it ended and its report ({@link JobReport#empty()} while it runs).
 */
public record JobRun(long id, String job, String node, boolean dryRun, Instant started, Optional<Instant> finished,
                     Outcome outcome, JobReport report) {

    /** How a run ended. */
    public enum Outcome {
        /** Still running (or its node stopped, until another run of the job finds it so). */
        RUNNING,
        /** Ran to its end; its report may still list items that failed. */
        OK,
        /** The job threw: its report holds the reason. */
        FAILED,
        /** The node running it stopped before it ended. */
        ABANDONED
    }
}
