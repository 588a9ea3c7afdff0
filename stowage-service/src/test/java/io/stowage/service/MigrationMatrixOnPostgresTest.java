package io.stowage.service;

class MigrationMatrixOnPostgresTest extends MigrationMatrixSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
