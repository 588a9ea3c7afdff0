package io.stowage.server;

import io.stowage.service.TestDatabase;

class AdminMigrationOnPostgresTest extends AdminMigrationSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
