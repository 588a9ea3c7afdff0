package io.stowage.server;

import io.stowage.service.TestDatabase;

class ThumbnailOnPostgresTest extends ThumbnailSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
