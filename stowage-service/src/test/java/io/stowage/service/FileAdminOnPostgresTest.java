package io.stowage.service;

class FileAdminOnPostgresTest extends FileAdminSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
