'use strict';
// Starts and stops one `mend serve` for the browser tests. Builds nothing: the binary comes
// from MEND_BIN, the database from MEND_E2E_DATABASE_URL (SQLite in the temp data folder when
// unset).

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const E2E_DIR = path.resolve(__dirname, '..');

function mendBinary() {
  const bin = path.resolve(E2E_DIR, process.env.MEND_BIN || '../target/debug/mend');
  if (!fs.existsSync(bin)) {
    throw new Error(`mend binary not found at ${bin}: run \`cargo build -p mend\` first, or set MEND_BIN`);
  }
  return bin;
}

/** A port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Which backend a database URL names, for labels and folder names. */
function backendOf(databaseUrl) {
  return databaseUrl && /^postgres(ql)?:/.test(databaseUrl) ? 'postgres' : 'sqlite';
}

async function waitHealthy(baseUrl, child, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return `exited with code ${child.exitCode}`;
    try {
      const res = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      const body = await res.text();
      if (res.status === 200 && JSON.parse(body).status === 'ok') return null;
      last = `${res.status} ${body}`;
    } catch (e) {
      last = e.message;
    }
    await sleep(100);
  }
  return `not healthy after ${deadlineMs} ms (${last})`;
}

/**
 * Starts `mend serve` on a free port with a fresh data folder. The public URL is the server's
 * own origin and the quick exit leads to its /healthz (or to `exitUrl`, another local server),
 * so that nothing leaves this machine.
 * `extraArgs` are added to `mend serve`'s arguments.
 * Returns { baseUrl, exitUrl, backend, dataDir, log, stop }.
 */
async function startMend({ logFile, exitUrl: exitTo, extraArgs = [] } = {}) {
  const bin = mendBinary();
  const databaseUrl = process.env.MEND_E2E_DATABASE_URL || '';
  const backend = backendOf(databaseUrl);
  let lastProblem = '';
  // The port is picked before the server binds it; another process may take it meanwhile.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mend-e2e-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const exitUrl = exitTo || `${baseUrl}/healthz`;
    const args = ['serve', '--listen', `127.0.0.1:${port}`, '--data-dir', dataDir,
      '--public-url', baseUrl, '--exit-url', exitUrl];
    if (databaseUrl) args.push('--database-url', databaseUrl);
    args.push(...extraArgs); // e.g. mail settings (issue 12)
    const env = { ...process.env, RUST_LOG: process.env.RUST_LOG || 'info' };
    delete env.MEND_DATABASE_URL;
    const child = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    const keep = (chunk) => {
      log += chunk.toString();
      if (logFile) fs.appendFileSync(logFile, chunk);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const exited = new Promise((resolve) => child.once('exit', resolve));

    const problem = await waitHealthy(baseUrl, child, 60_000);
    if (problem === null) {
      const announced = log.match(/Mend is running at (\S+)/);
      if (!announced || announced[1] !== baseUrl) {
        child.kill('SIGKILL');
        throw new Error(`mend did not announce ${baseUrl} on stdout; its output:\n${log}`);
      }
      return {
        baseUrl,
        exitUrl,
        backend,
        dataDir,
        log: () => log,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          }
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
    lastProblem = `attempt ${attempt} on port ${port}: ${problem}\n${log}`;
    if (!/address already in use|AddrInUse|os error 98/i.test(log)) break;
  }
  throw new Error(`could not start mend (${bin}):\n${lastProblem}`);
}

module.exports = { startMend, backendOf, E2E_DIR };
