// Room outputs benchmark: rooms of 4 speakers (real Opus at 50 frames/s each), without outputs, with one 16 kHz
// tap of the mix per room, and with one per-speaker tap per room; each shape in interleaved repeats on a fresh
// server, the server's CPU read from /proc. Prints a Markdown table and, with --write, puts it into
// docs/benchmarks.md between the outputs-bench markers.
// Usage: node bench/outputs.mjs [--write] [--rooms 10,20,40] [--repeats 2] [--baseline DIR]
//   --baseline DIR: a server build (folder with WsAudio.Server.dll) to run the no-output shape against as well,
//   e.g. one built from the commit before outputs existed.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const roomCounts = arg('--rooms', '10,20,40').split(',').map(Number);
const repeats = Number(arg('--repeats', '2'));
const baseline = arg('--baseline', null);
const duration = '00:00:15';
const work = mkdtempSync(join(tmpdir(), 'wsaudio-outputs-'));
const current = join(root, 'Server/bin/Release/net10.0');

execFileSync('dotnet', ['build', 'Server', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });
execFileSync('dotnet', ['build', 'Client.Desktop/Cli', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });

let port = 18400;
async function run(serverDir, rooms, taps, mode) {
  const p = port++;
  const server = spawn('dotnet', [join(serverDir, 'WsAudio.Server.dll'), '--host', '127.0.0.1', '--port', String(p),
    '--Logging:LogLevel:Default=Warning', '--Limits:MaxConnectionsPerIp=0'], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${p}/healthz`)).ok) break;
    } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    const json = join(work, `bot-${p}.json`);
    const before = loadavg()[0];
    execFileSync('dotnet', [join(root, 'Client.Desktop/Cli/bin/Release/net10.0/wsaudio.dll'), 'bot', '--url', `ws://127.0.0.1:${p}/ws`,
      '--rooms', String(rooms), '--speakers', '4', '--listeners', '0', '--taps', String(taps), '--tap-mode', mode,
      '--duration', duration, '--ramp-up', '00:00:02', '--server-pid', String(server.pid), '--json', json, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    return { ...JSON.parse(readFileSync(json, 'utf8')), loadBefore: before, loadAfter: loadavg()[0] };
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

const shapes = [
  ...(baseline ? [{ name: 'no outputs (previous build)', dir: baseline, taps: 0, mode: 'mix' }] : []),
  { name: 'no outputs', dir: current, taps: 0, mode: 'mix' },
  { name: '1 mix tap (16 kHz)', dir: current, taps: 1, mode: 'mix' },
  { name: '1 per-speaker tap (16 kHz)', dir: current, taps: 1, mode: 'per-speaker' },
];
const results = new Map();
for (let repeat = 0; repeat < repeats; repeat++) {
  for (const rooms of roomCounts) {
    for (const shape of shapes) {
      const r = await run(shape.dir, rooms, shape.taps, shape.mode);
      const key = `${rooms}|${shape.name}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      console.error(`${rooms} rooms, ${shape.name}: server ${(100 * r.serverCpuSeconds / r.durationSeconds).toFixed(0)}% of a core, tap p99 ${r.tapLatencyP99Ms ?? '-'} ms, load ${r.loadAfter.toFixed(2)}`);
    }
  }
}

const range = (values, d) => {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo.toFixed(d) === hi.toFixed(d) ? lo.toFixed(d) : `${lo.toFixed(d)}–${hi.toFixed(d)}`;
};
const cpu = (r) => (100 * r.serverCpuSeconds) / r.durationSeconds;
const lines = [
  '| rooms × 4 speakers | outputs | server CPU (% of one core) | per decoded stream (% of one core, over no outputs) | tap frames received / expected | capture → tap p50 / p99 (ms) | speaker frames lost | load average (1 min) |',
  '|---|---|---|---|---|---|---|---|',
];
for (const rooms of roomCounts) {
  const none = results.get(`${rooms}|no outputs`).map(cpu);
  const noneMean = none.reduce((a, b) => a + b, 0) / none.length;
  for (const shape of shapes) {
    const rs = results.get(`${rooms}|${shape.name}`);
    const streams = rooms * 4;
    const perStream = shape.taps > 0 ? range(rs.map((r) => (cpu(r) - noneMean) / streams), 2) : '–';
    // A mix tap gets one stream per room, a per-speaker tap one per speaker; 50 frames a second each.
    const expected = shape.taps === 0 ? 0 : Math.round(rooms * (shape.mode === 'mix' ? 1 : 4) * 50 * rs[0].durationSeconds);
    const tapFrames = shape.taps > 0 ? `${range(rs.map((r) => r.tapFrames), 0)} / ~${expected}` : '–';
    const tapLatency = shape.taps > 0 ? `${range(rs.map((r) => r.tapLatencyP50Ms), 1)} / ${range(rs.map((r) => r.tapLatencyP99Ms), 1)}` : '–';
    lines.push(`| ${rooms} | ${shape.name} | ${range(rs.map(cpu), 0)} | ${perStream} | ${tapFrames} | ${tapLatency} | ${range(rs.map((r) => r.framesLost), 0)} | ${range(rs.map((r) => r.loadAfter), 2)} |`);
  }
}

const table = lines.join('\n');
console.log(table);
if (process.argv.includes('--write')) {
  const path = join(root, 'docs/benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const start = '<!-- outputs-bench:start -->';
  const end = '<!-- outputs-bench:end -->';
  const stamp = `Measured by \`node bench/outputs.mjs --write${baseline ? ' --baseline …' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${repeats} interleaved repeats of ${duration.slice(3)} per shape, a fresh server each, server CPU from /proc; server and bot share the machine's 2 cores.`;
  const block = `${start}\n${stamp}\n\n${table}\n${end}`;
  writeFileSync(path, doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) : `${doc.trimEnd()}\n\n## Room outputs: decoding, mixing, taps\n\n${block}\n`);
}
