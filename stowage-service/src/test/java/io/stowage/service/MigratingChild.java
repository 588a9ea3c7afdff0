package io.stowage.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The process {@link MigrationMatrixSpec} kills with SIGKILL: it opens a service over the manager its settings
 * configure, starts one migration per {@code --job=SOURCE,TARGET,OWNER} argument (deleting the source), and prints
 * {@code MOVING <job id> ...} (in the arguments' order) once every job has moved {@code --after=N} versions; then it
 * goes on until it is killed. The other arguments are the settings, as {@code NAME=value}.
 */
final class MigratingChild {

    private MigratingChild() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = new HashMap<>();
        List<MigrationRequest> requests = new ArrayList<>();
        long after = 1;
        for (String arg : args) {
            if (arg.startsWith("--job=")) {
                String[] job = arg.substring("--job=".length()).split(",");
                requests.add(MigrationRequest.between(job[0], job[1]).withOwner(job[2]).withDeleteSource(true)
                        .withBatchSize(20).withParallel(4));
            } else if (arg.startsWith("--after=")) {
                after = Long.parseLong(arg.substring("--after=".length()));
            } else {
                int eq = arg.indexOf('=');
                env.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        StorageService service = MigrationSpec.open(env);
        Map<String, Long> done = new ConcurrentHashMap<>();
        service.addListener(e -> {
            if (e.type().equals(FileEvent.MIGRATION_PROGRESS)) {
                done.merge(e.data().get("job"), Long.parseLong(e.data().get("files_done")), Math::max);
            }
        });
        long moved = after;
        List<String> ids = new ArrayList<>();
        for (MigrationRequest r : requests) {
            ids.add(service.migrations().start(r).id());
        }
        while (!ids.stream().allMatch(id -> done.getOrDefault(id, 0L) >= moved)) {
            Thread.sleep(5); // a child's own wait, not a test's timing
        }
        System.out.println("MOVING " + String.join(" ", ids));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
