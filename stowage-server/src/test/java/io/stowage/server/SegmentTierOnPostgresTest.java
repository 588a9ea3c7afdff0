package io.stowage.server;

import io.stowage.service.TestDatabase;

class SegmentTierOnPostgresTest extends SegmentTierSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
