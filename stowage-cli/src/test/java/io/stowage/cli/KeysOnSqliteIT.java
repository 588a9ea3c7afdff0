package io.stowage.cli;

import io.stowage.service.TestDatabase;

class KeysOnSqliteIT extends KeysSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
