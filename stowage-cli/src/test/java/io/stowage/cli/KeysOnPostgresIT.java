package io.stowage.cli;

import io.stowage.service.TestDatabase;

class KeysOnPostgresIT extends KeysSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
