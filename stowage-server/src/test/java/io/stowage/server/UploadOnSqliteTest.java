package io.stowage.server;

import io.stowage.service.TestDatabase;

class UploadOnSqliteTest extends UploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
