package io.stowage.service;

class ImageLimitsOnPostgresTest extends ImageLimitsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
