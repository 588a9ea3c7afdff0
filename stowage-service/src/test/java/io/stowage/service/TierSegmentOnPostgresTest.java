package io.stowage.service;

class TierSegmentOnPostgresTest extends TierSegmentSpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
