// Builds the browser library (dist/wsaudio.js + dist/types), the page scripts (dist/pages) and, with --tests,
// the node tests (build/tests). AudioWorklet processors are bundled separately and inlined as source strings,
// so the library stays one file that loads its worklets from Blob URLs.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const tests = process.argv.includes('--tests');

/** `import source from 'worklet:name'` yields the bundled source of src/worklets/name.ts as a string. */
const worklets = {
  name: 'worklets',
  setup(b) {
    b.onResolve({ filter: /^worklet:/ }, (args) => ({ path: args.path.slice('worklet:'.length), namespace: 'worklet' }));
    b.onLoad({ filter: /.*/, namespace: 'worklet' }, async (args) => {
      const result = await build({
        entryPoints: [`src/worklets/${args.path}.ts`],
        bundle: true,
        write: false,
        format: 'esm',
        target: 'es2022',
        minify: true,
      });
      return { contents: `export default ${JSON.stringify(result.outputFiles[0].text)};`, loader: 'js' };
    });
  },
};

/** Pages load the library from the server (/wsaudio.js) instead of bundling a second copy. */
const libraryFromServer = {
  name: 'library-from-server',
  setup(b) {
    b.onResolve({ filter: /^wsaudio$/ }, () => ({ path: '/wsaudio.js', external: true }));
  },
};

if (tests) {
  const entryPoints = readdirSync('src', { recursive: true })
    .filter((file) => String(file).endsWith('.test.ts'))
    .map((file) => join('src', String(file)));
  rmSync('build', { recursive: true, force: true });
  await build({
    entryPoints,
    outdir: 'build/tests',
    entryNames: '[name]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    plugins: [worklets],
  });
} else {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.worklets.json'], { stdio: 'inherit' });
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.pages.json'], { stdio: 'inherit' });
  await build({
    entryPoints: ['src/index.ts'],
    outfile: 'dist/wsaudio.js',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    plugins: [worklets],
  });
  // The WebAssembly Opus decoder, in a file of its own that the library loads only where WebCodecs cannot decode.
  await build({
    entryPoints: ['src/media/wasmOpus.ts'],
    outfile: 'dist/wsaudio-opus.js',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
  });
  // The WebAssembly Opus encoder, likewise, for senders whose WebCodecs cannot encode Opus. Its Node branch is
  // never taken in a browser.
  await build({
    entryPoints: ['src/media/wasmOpusEncoder.ts'],
    outfile: 'dist/wsaudio-opus-encoder.js',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    external: ['node:*'],
  });
  await build({
    entryPoints: ['voice', 'broadcast', 'listen', 'radio'].map((page) => `pages/${page}.ts`),
    outdir: 'dist/pages',
    bundle: true,
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    plugins: [libraryFromServer],
  });
}
