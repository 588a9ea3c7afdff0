package io.stowage.service;

import java.util.HashMap;
import java.util.Map;

/**
 * The process {@link MigrationSpec} kills with SIGKILL: it opens a service over the manager its arguments
 * ({@code NAME=value}) configure, starts a migration from {@code local} to {@code minio} deleting the source, and
 * prints {@code MOVING <job id>} once a few batches have moved; then it goes on until it is killed.
 */
final class MigratingChild {

    private MigratingChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            env.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        StorageService service = MigrationSpec.open(env);
        String[] job = new String[1];
        Object lock = new Object();
        service.addListener(e -> {
            if (e.type().equals(FileEvent.MIGRATION_PROGRESS) && Long.parseLong(e.data().get("files_done")) >= 40) {
                synchronized (lock) {
                    if (job[0] == null) {
                        job[0] = e.data().get("job");
                        System.out.println("MOVING " + job[0]);
                        System.out.flush();
                    }
                }
            }
        });
        service.migrations().start(MigrationRequest.between("local", "minio").withDeleteSource(true)
                .withBatchSize(10).withParallel(4));
        Thread.sleep(Long.MAX_VALUE);
    }
}
