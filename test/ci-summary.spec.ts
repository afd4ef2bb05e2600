import { countJest, countJunit, formatCounts } from '../scripts/ci-summary';

describe('CI closing line', () => {
  it('counts a Jest report, a test file that could not run as a failure', () => {
    const report = JSON.stringify({
      numPassedTests: 7,
      numFailedTests: 1,
      numPendingTests: 2,
      numTodoTests: 1,
      numRuntimeErrorTestSuites: 1,
    });
    expect(countJest(report)).toEqual({ passed: 7, failed: 2, skipped: 3 });
  });

  it('counts JUnit test cases: failure and error fail, skipped skips', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="schemathesis" tests="5">
  <testcase name="GET /health" time="0.1"/>
  <testcase name="POST /api/questions" time="1.2"></testcase>
  <testcase name="GET /api/questions/{id}"><failure type="failure" message="5xx">Server error</failure></testcase>
  <testcase name="DELETE /api/questions/{id}"><error message="boom"/></testcase>
  <testcase name="GET /docs"><skipped message="no schema"/></testcase>
</testsuite></testsuites>`;
    expect(countJunit(xml)).toEqual({ passed: 2, failed: 2, skipped: 1 });
  });

  it('prints one plain line, skipped only when there are some', () => {
    expect(formatCounts({ passed: 3, failed: 0, skipped: 0 })).toBe('3 passed, 0 failed');
    expect(formatCounts({ passed: 3, failed: 1, skipped: 2 })).toBe(
      '3 passed, 1 failed, 2 skipped',
    );
  });
});
