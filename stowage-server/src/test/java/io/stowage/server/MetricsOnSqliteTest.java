package io.stowage.server;

import io.stowage.service.TestDatabase;

class MetricsOnSqliteTest extends MetricsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
