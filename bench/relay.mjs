// Relay benchmark: a Release server and the wsaudio bot at a ladder of loads (rooms of 100 listeners and one
// speaker at 50 frames/s), plus idle listeners for memory. Prints a Markdown table and, with --write, puts it
// into docs/benchmarks.md between the relay-bench markers.
// Usage: node bench/relay.mjs [--write] [--quick] [--ladder 500,2000] [--cluster]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const quick = process.argv.includes('--quick');
const ladderArg = process.argv.indexOf('--ladder');
const ladder = ladderArg > 0 ? process.argv[ladderArg + 1].split(',').map(Number) : quick ? [500, 2000] : [500, 2000, 5000, 10000];
const duration = quick ? '00:00:10' : '00:00:20';
const work = mkdtempSync(join(tmpdir(), 'wsaudio-bench-'));

execFileSync('dotnet', ['build', 'Server', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });
execFileSync('dotnet', ['build', 'Client.Desktop/Cli', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });

async function withServer(port, run, extra = []) {
  // Queue depth 50 (1 s) is the default; the benchmark reports drops rather than hiding them in a deeper queue.
  // Every bot connection comes from 127.0.0.1, so the per-address connection limit is lifted.
  const server = spawn('dotnet', [join(root, 'Server/bin/Release/net10.0/WsAudio.Server.dll'), '--host', '127.0.0.1', '--port', String(port),
    '--Logging:LogLevel:Default=Warning', '--Limits:MaxConnectionsPerIp=0', ...extra], { stdio: ['ignore', 'ignore', 'inherit'] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
    } catch { /* starting */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await run();
  } finally {
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  }
}

function bot(port, rooms, speakers, listeners, seconds, rampUp) {
  const json = join(work, `bot-${rooms}-${speakers}-${listeners}.json`);
  execFileSync('dotnet', [join(root, 'Client.Desktop/Cli/bin/Release/net10.0/wsaudio.dll'), 'bot', '--url', `ws://127.0.0.1:${port}/ws`,
    '--rooms', String(rooms), '--speakers', String(speakers), '--listeners', String(listeners), '--duration', seconds, '--ramp-up', rampUp,
    '--json', json, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
  return JSON.parse(readFileSync(json, 'utf8'));
}

const rows = [];
let port = 18100;
if (process.argv.includes('--cluster')) {
  // Two nodes and a nats-server: speakers on node 1, listeners alternating between the nodes, so half of every
  // room's audio crosses NATS. Server figures are node 1's (it also publishes everything to NATS).
  const nats = spawn('nats-server', ['-a', '127.0.0.1', '-p', '14299'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  try {
    for (const listeners of ladder) {
      const rooms = Math.max(1, listeners / 100);
      const p1 = port++;
      const p2 = port++;
      const r = await withServer(p1, () => withServer(p2, async () => {
        const json = join(work, `cluster-${listeners}.json`);
        execFileSync('dotnet', [join(root, 'Client.Desktop/Cli/bin/Release/net10.0/wsaudio.dll'), 'bot', '--url', `ws://127.0.0.1:${p1}/ws`, '--url', `ws://127.0.0.1:${p2}/ws`,
          '--rooms', String(rooms), '--speakers', '1', '--listeners', '100', '--duration', duration, '--ramp-up', '00:00:10', '--json', json, '--quiet'], { stdio: ['ignore', 'inherit', 'inherit'] });
        return JSON.parse(readFileSync(json, 'utf8'));
      }, ['--broker', 'nats://127.0.0.1:14299', '--Broker:NodeId=n2']), ['--broker', 'nats://127.0.0.1:14299', '--Broker:NodeId=n1']);
      rows.push({ listeners, ...r });
    }
  } finally {
    nats.kill();
  }
  const f = (v, d = 1) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(d));
  console.log('| listeners (half on each node) | delivered frames/s | lost | latency p50 / p99 / max (ms) | node 1 CPU (% of one core) | bot CPU (% of one core) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.listeners} | ${f(r.receivedPerSecond, 0)} | ${r.framesLost} (${f(r.lossPercent, 3)}%) | ${f(r.latencyP50Ms)} / ${f(r.latencyP99Ms)} / ${f(r.latencyMaxMs)} | ${f(100 * r.serverCpuSeconds / r.durationSeconds, 0)}% | ${f(r.botCpuPercentOfOneCore, 0)}% |`);
  process.exit(0);
}
for (const listeners of ladder) {
  const rooms = Math.max(1, listeners / 100);
  const r = await withServer(port++, async () => bot(port - 1, rooms, 1, 100, duration, '00:00:10'));
  rows.push({ listeners, ...r });
}
const idle = await withServer(port++, async () => bot(port - 1, 50, 0, 100, '00:00:01', '00:00:10'));

const f = (v, d = 1) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(d));
const lines = [
  `| listeners | delivered frames/s | lost | server drops | latency p50 / p99 / max (ms) | server CPU s per 10⁶ frames | server CPU (% of one core) | bot CPU (% of one core) | server forwarding p99 |`,
  `|---|---|---|---|---|---|---|---|---|`,
  ...rows.map((r) => `| ${r.listeners} | ${f(r.receivedPerSecond, 0)} | ${r.framesLost} (${f(r.lossPercent, 3)}%) | ${f(r.serverDrops, 0)} | ${f(r.latencyP50Ms)} / ${f(r.latencyP99Ms)} / ${f(r.latencyMaxMs)} | ${f(r.serverCpuSecondsPerMillionFrames, 2)} | ${f(100 * r.serverCpuSeconds / r.durationSeconds, 0)}% | ${f(r.botCpuPercentOfOneCore, 0)}% | ${f(r.serverForwardP99Ms, 2)} ms |`),
  '',
  `Idle listeners: ${idle.connectionsOpened} connected, server memory ${f(idle.serverMemoryBytes / 1048576, 0)} MiB, ` +
  `**${f(idle.serverMemoryPerConnectionBytes / 1024)} KiB per connection** (resident-memory growth while connecting, divided by connections).`,
];
const table = lines.join('\n');
console.log(table);

if (process.argv.includes('--write')) {
  const path = join(root, 'docs/benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const start = '<!-- relay-bench:start -->';
  const end = '<!-- relay-bench:end -->';
  const stamp = `Measured by \`node bench/relay.mjs --write\` on ${new Date().toISOString().slice(0, 10)}; rooms of 100 listeners and one speaker sending 50 frames/s for ${duration.slice(3)}; server and bot share the machine's 2 cores.`;
  const block = `${start}\n${stamp}\n\n${table}\n${end}`;
  writeFileSync(path, doc.includes(start) ? doc.replace(new RegExp(`${start}[\\s\\S]*${end}`), block) : `${doc.trimEnd()}\n\n## Relay under load\n\n${block}\n`);
}
