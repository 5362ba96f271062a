// Bundles the action, the CLI and the Node preload into dist/, with the Python plugin beside them. dist/ is committed: it is what
// users run, and CI rebuilds it to check that it matches src/.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Libraries imported only when needed (@actions/artifact) go to chunks of their own, loaded only then. Chunks stay
  // beside the entries: the code finds dist/python, dist/preload and package.json relative to itself.
  splitting: true,
  sourcemap: false,
  legalComments: 'none',
  // Bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});
// The Node preload is loaded with --require into the test runner's processes, so it is CommonJS.
await build({
  entryPoints: { 'preload/node': 'src/preload/index.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
await mkdir('dist/python');
await copyFile('python/leakwatch_pytest.py', 'dist/python/leakwatch_pytest.py');
