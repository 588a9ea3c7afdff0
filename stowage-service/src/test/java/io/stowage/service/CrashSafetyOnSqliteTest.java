package io.stowage.service;

class CrashSafetyOnSqliteTest extends CrashSafetySpec {

    @Override
    TestDatabase database() {
        return TestDatabase.SQLITE;
    }
}
