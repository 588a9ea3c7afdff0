package io.stowage.server;

import io.stowage.service.TestDatabase;

class CompatibilityOnPostgresTest extends CompatibilitySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
