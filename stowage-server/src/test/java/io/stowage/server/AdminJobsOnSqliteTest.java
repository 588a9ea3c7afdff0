package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminJobsOnSqliteTest extends AdminJobsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
