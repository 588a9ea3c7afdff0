package io.stowage.service;

class MediaTypeOnPostgresTest extends MediaTypeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
