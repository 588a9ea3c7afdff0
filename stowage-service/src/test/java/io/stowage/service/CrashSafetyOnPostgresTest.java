package io.stowage.service;

class CrashSafetyOnPostgresTest extends CrashSafetySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.POSTGRES;
    }
}
