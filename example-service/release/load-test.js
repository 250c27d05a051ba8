// The release's load test for k6 (https://k6.io): virtual users each write a task, read it back
// and list tasks, for the duration in thresholds.json, and the run fails when the p95 latency or
// the error ratio passes the thresholds there (p95 < 500 ms, errors < 1 %). The test suite
// enforces the same thresholds, read from the same file, with ReleaseLoadCheck.
//
//   k6 run -e BASE_URL=http://127.0.0.1:8080 example-service/release/load-test.js
//
// Tasks written here are deleted again. release-validation.yml runs it after dev and staging syncs.
import http from 'k6/http';
import { check } from 'k6';

const limits = JSON.parse(open('./thresholds.json'));
const base = (__ENV.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const json = { headers: { 'Content-Type': 'application/json' } };

export const options = {
  vus: limits.virtualUsers,
  duration: limits.duration,
  thresholds: {
    // Every request counts, as in ReleaseLoadCheck; k6 counts a status of 400 or above as failed.
    http_req_duration: [`p(95)<${limits.p95Millis}`],
    http_req_failed: [`rate<${limits.errorRatio}`],
  },
};

export default function () {
  const created = http.post(`${base}/tasks`, JSON.stringify({ title: `load ${__VU}-${__ITER}` }), json);
  if (!check(created, { 'task created': (r) => r.status === 201 })) {
    return;
  }
  const id = created.json('id');
  const read = http.get(`${base}/tasks/${id}`);
  check(read, { 'task read back': (r) => r.status === 200 });
  http.get(`${base}/tasks?limit=20`);
  http.del(`${base}/tasks/${id}`);
}
