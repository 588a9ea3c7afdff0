package io.stowage.server;

import io.stowage.service.TestDatabase;

class LinkRedirectOnSqliteTest extends LinkRedirectSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
