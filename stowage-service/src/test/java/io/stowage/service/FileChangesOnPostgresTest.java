package io.stowage.service;

class FileChangesOnPostgresTest extends FileChangesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
