package io.stowage.server;

import io.stowage.service.TestDatabase;

class DirectUploadOnPostgresTest extends DirectUploadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
