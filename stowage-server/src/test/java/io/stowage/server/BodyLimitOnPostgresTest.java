package io.stowage.server;

import io.stowage.service.TestDatabase;

class BodyLimitOnPostgresTest extends BodyLimitSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
