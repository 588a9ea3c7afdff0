package io.stowage.server;

import io.stowage.service.TestDatabase;

class FilesOnPostgresTest extends FilesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
