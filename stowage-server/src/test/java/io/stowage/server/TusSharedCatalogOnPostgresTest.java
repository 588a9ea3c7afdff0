package io.stowage.server;

import io.stowage.service.TestDatabase;

class TusSharedCatalogOnPostgresTest extends TusSharedCatalogSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
