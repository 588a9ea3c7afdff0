package io.stowage.service;

class DirectUploadsOnPostgresTest extends DirectUploadsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
