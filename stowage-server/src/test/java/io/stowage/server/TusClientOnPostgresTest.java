package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusClientOnPostgresTest extends TusClientSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
