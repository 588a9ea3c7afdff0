package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusReloadOnSqliteTest extends TusReloadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
