package io.stowage.service;

class TrashOnPostgresTest extends TrashSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
