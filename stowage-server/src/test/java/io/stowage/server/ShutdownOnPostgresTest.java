package io.stowage.server;

import io.stowage.service.TestDatabase;

class ShutdownOnPostgresTest extends ShutdownSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
