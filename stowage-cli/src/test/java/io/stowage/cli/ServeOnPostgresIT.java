package io.stowage.cli;

import io.stowage.service.TestDatabase;

class ServeOnPostgresIT extends ServeSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
