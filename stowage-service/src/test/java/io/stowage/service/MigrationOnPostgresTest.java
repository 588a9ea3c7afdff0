package io.stowage.service;

class MigrationOnPostgresTest extends MigrationSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
