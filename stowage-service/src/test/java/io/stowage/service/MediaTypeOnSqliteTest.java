package io.stowage.service;

class MediaTypeOnSqliteTest extends MediaTypeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
