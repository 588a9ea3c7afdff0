package io.stowage.service;

class ScanOnPostgresTest extends ScanSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
