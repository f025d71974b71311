'use strict';
// What the tests share: the repository's examples, the command line built from it, and a
// local HTTP server that plays Stripe for stripe-node.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
const FIXTURES = path.join(ROOT, 'tests', 'fixtures');

/** The command line (built by ci.sh): ACCOUNT_DEBITS_CLI, else the workspace's debug build. */
const CLI = process.env.ACCOUNT_DEBITS_CLI || path.join(ROOT, 'target', 'debug', 'account-debits');

function example(...parts) {
  return JSON.parse(fs.readFileSync(path.join(EXAMPLES, ...parts), 'utf8'));
}

function exampleFiles(dir) {
  return fs
    .readdirSync(path.join(EXAMPLES, dir))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The command line's output for `file` (its exit status is the outcome's, not a failure). */
function cli(command, file) {
  try {
    return JSON.parse(execFileSync(CLI, [command, path.join(EXAMPLES, file)], { encoding: 'utf8' }));
  } catch (err) {
    if (typeof err.status === 'number' && err.stdout) return JSON.parse(err.stdout);
    throw err;
  }
}

/**
 * A local server that plays Stripe: `routes` maps `METHOD /path` to a JSON body (status
 * 200); every request is recorded (method, path, headers, body).
 */
async function stripeServer(routes) {
  const requests = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      requests.push({ method: req.method, path: url.pathname, query: url.search, headers: req.headers, body });
      const route = routes[`${req.method} ${url.pathname}`];
      const [status, json] = route === undefined ? [404, { error: { type: 'invalid_request_error', message: 'no route' } }] : [200, typeof route === 'function' ? route(body) : route];
      res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${requests.length}` });
      res.end(JSON.stringify(json));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, requests, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** stripe-node pointed at `port` on this machine, with its retries off. */
function stripeClient(port) {
  const Stripe = require('stripe');
  return new Stripe('sk_test_local', { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
}

module.exports = { ROOT, EXAMPLES, FIXTURES, CLI, example, exampleFiles, cli, stripeServer, stripeClient };
