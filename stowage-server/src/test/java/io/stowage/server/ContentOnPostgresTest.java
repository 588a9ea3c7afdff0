package io.stowage.server;

import io.stowage.service.TestDatabase;

class ContentOnPostgresTest extends ContentSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
