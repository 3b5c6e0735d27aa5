/**
 * Prints the closing line CI reads: "N passed, N failed". Jest prints its own summary after the reporters
 * run, so the line is written when the process exits to make sure it comes last. With JEST_SUMMARY_FILE set
 * it is also written to that file at once (scripts/test-all.sh): under --forceExit, a line written to a
 * piped stdout while Jest's own output is still queued can be lost when the process exits.
 *
 * A skipped, todo or focused test (a focused one skips the rest of its file) counts as failed and fails the
 * run: a suite that quietly runs less than it says proves less than it says. How many there were is said on
 * stderr.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `${results.numPassedTests} passed, ${failed + skipped} failed\n`;
    if (process.env.JEST_SUMMARY_FILE) require('node:fs').writeFileSync(process.env.JEST_SUMMARY_FILE, line);
    if (skipped > 0) {
      process.exitCode = 1;
      process.stderr.write(`summary: ${skipped} skipped, todo or focused-away test(s); the run fails\n`);
    }
    process.once('exit', () => {
      if (skipped > 0) process.exitCode = 1;
      process.stdout.write(`\n${line}`);
    });
  }
}
module.exports = SummaryReporter;
