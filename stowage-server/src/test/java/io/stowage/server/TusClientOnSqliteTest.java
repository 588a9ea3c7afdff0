package io.stowage.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stowage.service.TestDatabase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TusClientOnSqliteTest extends TusClientSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }

    @Test
    void anUploadCutOffTwiceIsResumedWhole() throws Exception {
        List<String> lines = new ArrayList<>();
        Process node = NodeTusClient.start(uri("/v1/uploads/tus").toString(), ALICE, 200 * MIB, 16 * MIB, 2, false);
        String done = NodeTusClient.follow(node, lines, line -> { });
        // Each cut kept what had arrived in whole chunks: the client resumed from there, not from zero.
        assertThat(lines).filteredOn(l -> l.startsWith("CUT ")).hasSize(2)
                .map(l -> Long.parseLong(l.substring(4))).allMatch(offset -> offset > 0 && offset < 200L * MIB)
                .isSorted();
        assertThat(lines).filteredOn(l -> l.startsWith("RESUMED ")).hasSize(2);
        assertStored(done, 200L * MIB);
    }
}
