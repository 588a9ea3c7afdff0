package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminOnPostgresTest extends AdminSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
