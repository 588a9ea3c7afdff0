package io.stowage.server;

import io.stowage.service.TestDatabase;

class FilesOnSqliteTest extends FilesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
