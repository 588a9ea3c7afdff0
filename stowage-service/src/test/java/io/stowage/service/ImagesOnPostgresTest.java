package io.stowage.service;

class ImagesOnPostgresTest extends ImagesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
