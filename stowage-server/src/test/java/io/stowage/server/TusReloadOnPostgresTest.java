package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusReloadOnPostgresTest extends TusReloadSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
