package io.stowage.server;

import io.stowage.service.TestDatabase;

class HealthOnPostgresTest extends HealthSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
