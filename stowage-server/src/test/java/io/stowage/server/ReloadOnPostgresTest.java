package io.stowage.server;

import io.stowage.service.TestDatabase;

class ReloadOnPostgresTest extends ReloadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
