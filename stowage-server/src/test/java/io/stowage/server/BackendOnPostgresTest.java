package io.stowage.server;

import io.stowage.service.TestDatabase;

class BackendOnPostgresTest extends BackendSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
