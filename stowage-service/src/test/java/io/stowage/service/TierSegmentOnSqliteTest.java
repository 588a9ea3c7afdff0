package io.stowage.service;

class TierSegmentOnSqliteTest extends TierSegmentSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
