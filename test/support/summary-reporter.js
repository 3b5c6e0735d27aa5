/**
 * Prints the closing line CI reads: "N passed, N failed". Jest prints its own summary after the
 * reporters run, so the line is written when the process exits to make sure it comes last.
 */
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const line = `${results.numPassedTests} passed, ${failed} failed\n`;
    process.once('exit', () => process.stdout.write(`\n${line}`));
  }
}
module.exports = SummaryReporter;
