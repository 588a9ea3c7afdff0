package io.stowage.server;

import io.stowage.service.TestDatabase;

class StoreHealthOnPostgresTest extends StoreHealthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
