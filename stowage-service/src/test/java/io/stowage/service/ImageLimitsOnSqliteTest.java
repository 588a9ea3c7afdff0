package io.stowage.service;

class ImageLimitsOnSqliteTest extends ImageLimitsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
