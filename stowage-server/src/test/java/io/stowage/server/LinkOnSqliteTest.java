package io.stowage.server;

import io.stowage.service.TestDatabase;

class LinkOnSqliteTest extends LinkSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
