package io.stowage.service;

class BufferedPartsOnPostgresTest extends BufferedPartsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
