package io.stowage.server;

import io.stowage.service.TestDatabase;

class SegmentTierOnSqliteTest extends SegmentTierSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
