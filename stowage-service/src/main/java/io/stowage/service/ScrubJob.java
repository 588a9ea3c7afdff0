package io.stowage.service;

import io.stowage.ErrorKind;
import io.stowage.StorageException;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code scrub}: re-reads every stored copy of every committed version at no more than {@code maintenance.scrub_rate}
 * bytes a second, and compares its SHA-256 with the catalog's. A copy that differs, or is missing, is rewritten from
 * a good copy ({@link Copies#repair}); one that cannot be is recorded among the failed operations as
 * {@code INTEGRITY}, and stays as it is (scrub never removes anything). A backend that is away is counted
 * {@code unreachable}, not taken for damage. In a dry run, damage is counted and nothing written.
 */
final class ScrubJob implements MaintenanceJob {

    private static final int PAGE = 500;

    private final Copies copies;
    private final long rate;

    ScrubJob(Copies copies, long bytesPerSecond) {
        this.copies = copies;
        this.rate = bytesPerSecond;
    }

    @Override
    public String name() {
        return "scrub";
    }

    @Override
    public JobReport run(JobContext context) {
        JobReport.Builder report = JobReport.builder().add("checked", 0).add("bytes", 0).add("damaged", 0)
                .add("repaired", 0);
        Pacer pacer = new Pacer(rate);
        String after = "";
        List<Copies.Located> page;
        do {
            page = copies.page(after, PAGE);
            for (List<Copies.Located> version : Copies.byVersion(page)) {
                for (Copies.Located copy : version) {
                    check(copy, version, context.dryRun(), pacer, report);
                }
                after = version.getFirst().versionId();
            }
        } while (!page.isEmpty());
        return report.build();
    }

    private void check(Copies.Located copy, List<Copies.Located> version, boolean dryRun, Pacer pacer,
                       JobReport.Builder report) {
        String problem;
        try {
            String sha = Copies.digest(copies.store(copy.backend()), copy.key(), pacer::paced);
            report.count("checked").add("bytes", copy.size());
            if (sha.equals(copy.sha256())) {
                return;
            }
            problem = "its SHA-256 is " + sha + ", the catalog's " + copy.sha256();
        } catch (StorageException e) {
            if (e.kind() != ErrorKind.NOT_FOUND) {
                report.count("unreachable").error(copy.backend() + " " + copy.blobKey() + ": " + e.kind());
                return;
            }
            problem = "it is missing";
        }
        report.count("damaged");
        if (dryRun) {
            return;
        }
        copies.repairOrRecord(copy, version, "is damaged (" + problem + ")", report);
    }

    /** Holds reads to a rate: after each chunk, waits until the bytes so far are within the rate's time. */
    static final class Pacer {

        private final long rate;
        private final long start = System.nanoTime();
        private long bytes;

        Pacer(long bytesPerSecond) {
            this.rate = bytesPerSecond;
        }

        void paced(long n) {
            bytes += n;
            long due = start + (long) (bytes * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 1_000_000) {
                LockSupport.parkNanos(wait);
            }
        }
    }
}
