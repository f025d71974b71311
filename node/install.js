'use strict';
// `npm install` of this folder (`npm install ./node` from a consuming project, or `npm ci`
// inside it): when no addon for this platform is in native/ yet, build it with cargo (the
// Rust toolchain is the one requirement) and put it where index.js looks. Nothing is
// downloaded but crates. `npm run build` (napi-rs's CLI, a dev dependency) does the same
// with the TypeScript declarations regenerated; this script needs no npm package at all.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const here = __dirname;
const dir = path.join(here, 'native');
const prefix = `account-debits.${process.platform}-${process.arch}`;

function built() {
  try {
    return fs.readdirSync(dir).some((f) => f.startsWith(prefix) && f.endsWith('.node'));
  } catch (err) {
    if (err.code === 'ENOENT') return false;
    throw err;
  }
}

/** The file cargo writes for a cdylib named `stripe_account_debits_node`. */
function libraryName() {
  if (process.platform === 'win32') return 'stripe_account_debits_node.dll';
  if (process.platform === 'darwin') return 'libstripe_account_debits_node.dylib';
  return 'libstripe_account_debits_node.so';
}

function main() {
  if (built()) return;
  const manifest = path.join(here, 'Cargo.toml');
  const cargo = process.env.CARGO || 'cargo';
  process.stderr.write('stripe-account-debits: building the native addon with cargo (once)\n');
  execFileSync(
    cargo,
    ['build', '--release', '--locked', '--manifest-path', manifest, '--message-format', 'short'],
    { stdio: 'inherit' },
  );
  const metadata = JSON.parse(
    execFileSync(cargo, ['metadata', '--format-version', '1', '--no-deps', '--manifest-path', manifest], {
      encoding: 'utf8',
    }),
  );
  const library = path.join(metadata.target_directory, 'release', libraryName());
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(library, path.join(dir, `${prefix}.node`));
}

main();
