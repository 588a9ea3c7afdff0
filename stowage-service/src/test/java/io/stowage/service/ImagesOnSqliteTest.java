package io.stowage.service;

class ImagesOnSqliteTest extends ImagesSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
