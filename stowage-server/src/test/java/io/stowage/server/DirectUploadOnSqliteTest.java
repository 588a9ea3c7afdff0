package io.stowage.server;

import io.stowage.service.TestDatabase;

class DirectUploadOnSqliteTest extends DirectUploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
