package io.stowage.server;

import io.stowage.service.TestDatabase;

class ThumbnailOnSqliteTest extends ThumbnailSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
