// Build the shared front-end assets into static/frontend/build/.
//
//   node build.mjs           minified production build
//   node build.mjs --dev     unminified, with source maps
//
// Output (all self-hosted, no external URLs):
//   app.js        small progressive enhancements (loads math.js on demand)
//   math.js       KaTeX + auto-render
//   player.js     lecture video player (only on pages with a {% lecture_player %})
//   player-hls.js hls.js, loaded by player.js only where adaptive streaming needs it
//   player.css    lecture player styles (linked by the player's template)
//   quiz.js       the quiz attempt page (autosave, offline queue, countdown); quiz.css its styles
//   app.css       design system
//   katex.min.css KaTeX styles (font-display: swap), fonts in ./fonts/
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const outdir = join(here, 'static', 'frontend', 'build');
const dev = process.argv.includes('--dev');
const log = (msg) => process.stderr.write(`[frontend] ${msg}\n`);

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

// Browsers still common on school computers and low-end Android phones.
const target = ['es2018', 'chrome64', 'firefox60', 'safari12', 'edge79'];

await esbuild.build({
  absWorkingDir: here,
  entryPoints: [
    { in: 'src/main.js', out: 'app' },
    { in: 'src/math.js', out: 'math' },
    { in: 'src/player.js', out: 'player' },
    { in: 'src/player-hls.js', out: 'player-hls' },
    { in: 'src/quiz.js', out: 'quiz' },
    { in: 'src/quiz.css', out: 'quiz' },
    { in: 'src/styles/player.css', out: 'player' },
    { in: 'src/styles/index.css', out: 'app' },
  ],
  outdir,
  bundle: true,
  format: 'iife',
  target,
  minify: !dev,
  sourcemap: dev ? 'linked' : false,
  legalComments: dev ? 'inline' : 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});

// KaTeX stylesheet + fonts, copied as shipped so relative url(fonts/...) work.
const require = createRequire(import.meta.url);
const katexDist = join(dirname(require.resolve('katex/package.json')), 'dist');
writeFileSync(join(outdir, 'katex.min.css'), readFileSync(join(katexDist, 'katex-swap.min.css')));
cpSync(join(katexDist, 'fonts'), join(outdir, 'fonts'), { recursive: true });

// ---- Checks: every CSS url() resolves locally; nothing points off-site. ----
const problems = [];
for (const name of readdirSync(outdir).filter((f) => f.endsWith('.css'))) {
  const css = readFileSync(join(outdir, name), 'utf8');
  if (/@import/i.test(css)) problems.push(`${name}: contains @import`);
  for (const [, raw] of css.matchAll(/url\(\s*([^)]*?)\s*\)/g)) {
    const url = raw.replace(/^['"]|['"]$/g, '');
    if (url.startsWith('data:') || url.startsWith('#')) continue;
    if (/^([a-z]+:)?\/\//i.test(url)) problems.push(`${name}: external url ${url}`);
    else if (!existsSync(resolve(outdir, url.split(/[?#]/)[0]))) problems.push(`${name}: missing ${url}`);
  }
}
for (const name of ['app.js', 'math.js', 'player.js', 'player-hls.js', 'quiz.js']) {
  const js = readFileSync(join(outdir, name), 'utf8');
  // Only flag URLs that would be fetched; KaTeX's error messages mention its website.
  if (/(import\s*\(|src\s*=|fetch\()\s*['"`]https?:/i.test(js)) problems.push(`${name}: loads an external URL`);
}
if (problems.length) {
  for (const p of problems) log(`ERROR ${p}`);
  process.exit(1);
}

for (const name of readdirSync(outdir).filter((f) => /\.(js|css)$/.test(f)).sort()) {
  const buf = readFileSync(join(outdir, name));
  log(`${name.padEnd(14)} ${(buf.length / 1024).toFixed(1).padStart(7)} KiB  gzip ${(gzipSync(buf, { level: 9 }).length / 1024).toFixed(1).padStart(6)} KiB`);
}
const fonts = readdirSync(join(outdir, 'fonts'));
const fontBytes = fonts.reduce((n, f) => n + statSync(join(outdir, 'fonts', f)).size, 0);
log(`fonts/         ${fonts.length} files, ${(fontBytes / 1024).toFixed(0)} KiB (browsers fetch only the woff2 files a page uses)`);
log(`built ${dev ? 'dev' : 'production'} assets in ${outdir}`);
