// Bundles the action, the CLI and the Node preload into dist/, with the Python plugin beside them, and writes
// dist/licenses.txt: the licence of every package whose code is bundled. dist/ is committed: it is what users run,
// and CI rebuilds it to check that it matches src/.
import { build } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

await rm('dist', { recursive: true, force: true });
const bundles = await Promise.all([
  build({
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
    // The licences are in dist/licenses.txt, whole.
    legalComments: 'none',
    metafile: true,
    // Bundled CommonJS dependencies call require(); an ES module has none of its own.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  }),
  // The Node preload is loaded with --require into the test runner's processes, so it is CommonJS.
  build({
    entryPoints: { 'preload/node': 'src/preload/index.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  }),
]);
await mkdir('dist/python');
await copyFile('python/leakwatch_pytest.py', 'dist/python/leakwatch_pytest.py');
await writeFile('dist/licenses.txt', await thirdPartyNotices(bundles.map((result) => result.metafile)));

/**
 * The name, version, licence and licence text of each package that has code in an output, in name order.
 * @param {import('esbuild').Metafile[]} metafiles
 */
async function thirdPartyNotices(metafiles) {
  const packageDirs = new Set();
  for (const { outputs } of metafiles) {
    for (const output of Object.values(outputs)) {
      for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
        // Only what is in the bundle counts: a module tree-shaken to nothing ships no code.
        const match = bytesInOutput > 0 && /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
        if (match) packageDirs.add(match[1]);
      }
    }
  }
  const notices = await Promise.all(
    [...packageDirs].map(async (dir) => {
      const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8'));
      const { name, version, author } = manifest;
      const license =
        manifest.license ??
        manifest.licenses?.map((/** @type {{ type: string }} */ entry) => entry.type).join(' OR ') ??
        'no licence named';
      const licenseFile = (await readdir(dir)).find((file) => /^(licen[cs]e|copying)(\.|$)/i.test(file));
      // A few old packages ship no licence file; their package.json is then the whole of what they say.
      const text = licenseFile
        ? (await readFile(path.join(dir, licenseFile), 'utf8')).trim()
        : `No licence file is shipped. package.json: license ${license}, author ${typeof author === 'string' ? author : (author?.name ?? 'not given')}.`;
      return { name, version, license, text };
    }),
  );
  const unique = [...new Map(notices.map((notice) => [`${notice.name}@${notice.version}`, notice])).values()];
  unique.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
  const header =
    'leakwatch bundles the following packages into dist/. Their licences follow, each as the package ships it.\n';
  return [
    header,
    ...unique.map(({ name, version, license, text }) => `${name}@${version} (${license})\n\n${text}\n`),
  ].join(`\n${'-'.repeat(80)}\n\n`);
}
