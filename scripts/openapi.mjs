// Writes openapi.json from the code, or with --check fails when the committed file has drifted.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

execFileSync(process.execPath, ['scripts/build-if-needed.mjs'], { stdio: 'inherit' });
const { generateOpenApi } = await import('../dist/src/openapi.js');
const text = `${JSON.stringify(await generateOpenApi(), null, 2)}\n`;

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync('openapi.json', 'utf8');
  } catch {
    // missing file: reported as drift below
  }
  if (committed !== text) {
    console.error('openapi.json is out of date with the code: run `npm run openapi` and commit the result.');
    process.exit(1);
  }
  console.log('openapi.json matches the code.');
} else {
  writeFileSync('openapi.json', text);
  console.log('openapi.json written.');
}
process.exit(0);
