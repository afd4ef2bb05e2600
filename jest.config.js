// One Jest run for everything (`npm test`): unit specs beside the code, e2e specs in test/.
// The global setup starts a real MongoDB-wire server unless MONGO_URI is given.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(src|tools|test|scripts)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  // Test timeouts are hang bounds, not speed limits (speed is for bench/): loose enough that a
  // machine loaded many times over (load 15-18 on 2 cores, seen) fails no test on time alone.
  testTimeout: 90_000,
};
