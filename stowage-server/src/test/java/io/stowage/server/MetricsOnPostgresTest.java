package io.stowage.server;

import io.stowage.service.TestDatabase;

class MetricsOnPostgresTest extends MetricsSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
