package io.stowage.server;

import io.stowage.service.TestDatabase;

class UploadOnPostgresTest extends UploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
