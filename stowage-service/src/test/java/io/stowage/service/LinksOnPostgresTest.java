package io.stowage.service;

class LinksOnPostgresTest extends LinksSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
