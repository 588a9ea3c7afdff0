package io.stowage.server;

import io.stowage.service.TestDatabase;

class ScanUploadOnPostgresTest extends ScanUploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
