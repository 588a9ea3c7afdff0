package io.stowage.server;

import io.stowage.service.TestDatabase;

class ScanUploadOnSqliteTest extends ScanUploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
