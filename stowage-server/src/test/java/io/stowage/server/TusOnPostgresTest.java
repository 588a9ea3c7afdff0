package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusOnPostgresTest extends TusSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
