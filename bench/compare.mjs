// WsAudio side by side with two benchmark peers, driven by one load generator (`wsaudio bot`):
//   naive   a minimal Kestrel relay (bench/Peers/NaiveRelay): what anyone would write first in .NET
//   uws     a minimal uWebSockets relay (bench/Peers/uws, npm `uwebsockets`): the fastest server we know of
// and, in one-room scenarios, WsAudio's radio listen URL: the same broadcast to players over HTTP (bot --listen-url);
// and, where rooms have an audience, WsAudio with Presence:AudienceWriteInterval at 60 ms (the audience's frames
// several to a write).
// The peers take room and role in the URL and pass frames on untouched; the bot speaks that shape with --plain
// and the WsAudio protocol to WsAudio. Server CPU and memory come from /proc for all three alike.
// Runs are interleaved (each repeat visits every relay, in rotating order) and reported as ranges, with the
// load average around each run. Only 127.0.0.1 is used.
// With --second-wave, the same crowd joins a second time on the same server once the first has left: that join
// runs on code the server has already compiled, as on a server that has been up for a while.
// Usage: node bench/compare.mjs [--quick] [--repeats 3] [--seconds 10] [--only one-room-2000,voice]
//   [--relays wsaudio,wsaudio-60ms,listen-url,naive,uws] [--second-wave] [--write]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const argument = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const quick = process.argv.includes('--quick');
const repeats = Number(argument('--repeats', quick ? 1 : 3));
const seconds = Number(argument('--seconds', quick ? 5 : 10));
const only = argument('--only', undefined)?.split(',');
const secondWave = process.argv.includes('--second-wave');
const work = mkdtempSync(join(tmpdir(), 'wsaudio-compare-'));

const scenarios = [
  { key: 'one-room-2000', label: 'one room, 2,000 listeners', rooms: 1, speakers: 1, listeners: 2000 },
  { key: 'one-room-5000', label: 'one room, 5,000 listeners', rooms: 1, speakers: 1, listeners: 5000 },
  { key: 'one-room-10000', label: 'one room, 10,000 listeners', rooms: 1, speakers: 1, listeners: 10000 },
  { key: 'rooms-of-100-2000', label: '20 rooms of 100 listeners', rooms: 20, speakers: 1, listeners: 100 },
  { key: 'rooms-of-100-10000', label: '100 rooms of 100 listeners', rooms: 100, speakers: 1, listeners: 100 },
  { key: 'voice', label: 'voice: 50 rooms × (4 speakers + 16 listeners)', rooms: 50, speakers: 4, listeners: 16 },
].filter((s) => only === undefined || only.includes(s.key));

const dll = (path) => join(root, path);
const wsaudio = (port, ...settings) => spawn('dotnet', [dll('Server/bin/Release/net10.0/WsAudio.Server.dll'), '--host', '127.0.0.1', '--port', String(port),
  '--Logging:LogLevel:Default=Warning', '--Limits:MaxConnectionsPerIp=0', ...settings], { stdio: ['ignore', 'ignore', 'inherit'] });
const hasAudience = (scenario) => scenario.listeners > 20;
const relayKeys = argument('--relays', undefined)?.split(',');
const relays = [
  {
    key: 'wsaudio',
    name: 'WsAudio',
    plain: false,
    start: (port) => wsaudio(port),
  },
  {
    // The opt-in for broadcasts: the audience's frames are written at most every 60 ms, several to a write.
    key: 'wsaudio-60ms',
    name: 'WsAudio, audience writes every 60 ms',
    plain: false,
    only: hasAudience,
    start: (port) => wsaudio(port, '--Presence:AudienceWriteInterval=00:00:00.060'),
  },
  {
    key: 'listen-url',
    name: 'WsAudio listen URL (HTTP)',
    plain: false,
    botArgs: ['--listen-url'],
    only: (scenario) => scenario.rooms === 1 && scenario.speakers === 1,
    start: (port) => wsaudio(port),
  },
  {
    key: 'naive',
    name: 'naive Kestrel',
    plain: true,
    start: (port) => spawn('dotnet', [dll('bench/Peers/NaiveRelay/bin/Release/net10.0/wsaudio-bench-naive-relay.dll'), String(port)], { stdio: ['ignore', 'ignore', 'inherit'] }),
  },
  {
    key: 'uws',
    name: 'uWebSockets',
    plain: true,
    start: (port) => spawn('node', [dll('bench/Peers/uws/relay.mjs'), String(port)], { stdio: ['ignore', 'ignore', 'ignore'] }),
  },
].filter((r) => relayKeys === undefined || relayKeys.includes(r.key));

execFileSync('dotnet', ['build', 'Server', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });
execFileSync('dotnet', ['build', 'Client.Desktop/Cli', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });
execFileSync('dotnet', ['build', 'bench/Peers/NaiveRelay', '-c', 'Release', '-v', 'quiet', '-nologo'], { cwd: root, stdio: 'inherit' });
if (!existsSync(join(root, 'bench/Peers/uws/node_modules/uwebsockets'))) {
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: join(root, 'bench/Peers/uws'), stdio: 'inherit' });
}

// The bot lives for seconds and shares the cores with the server it measures: compiled fully optimized from the
// start, it spends less of them while the crowd joins (docs/benchmarks.md, "A fresh server").
const botEnvironment = { ...process.env, DOTNET_TieredCompilation: '0' };

async function run(relay, scenario, port) {
  const server = relay.start(port);
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
      } catch {
        if (i > 150) throw new Error(`${relay.name} did not start`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const bot = (wave, duration, lateJoiners) => {
      const json = join(work, `${scenario.key}-${port}-${wave}.json`);
      execFileSync('dotnet', [dll('Client.Desktop/Cli/bin/Release/net10.0/wsaudio.dll'), 'bot', '--url', `ws://127.0.0.1:${port}/ws`,
        '--rooms', String(scenario.rooms), '--speakers', String(scenario.speakers), '--listeners', String(scenario.listeners),
        '--duration', `00:00:${String(duration).padStart(2, '0')}`, '--ramp-up', '00:00:00', '--server-pid', String(server.pid), '--late-joiners', String(lateJoiners),
        '--json', json, '--quiet', ...(relay.plain ? ['--plain'] : []), ...(relay.botArgs ?? [])], { stdio: ['ignore', 'ignore', 'inherit'], env: botEnvironment });
      return JSON.parse(readFileSync(json, 'utf8'));
    };
    const before = loadavg()[0];
    const first = bot(1, seconds, 10);
    const second = secondWave ? bot(2, 1, 0) : undefined;
    return { ...first, secondConnectSeconds: second?.connectSeconds, secondConnectCpuSeconds: second?.serverConnectCpuSeconds, secondBotConnectCpuSeconds: second?.botConnectCpuSeconds, loadBefore: before, loadAfter: loadavg()[0] };
  } finally {
    server.kill('SIGKILL');
    await new Promise((r) => (server.exitCode !== null ? r() : server.once('exit', r)));
  }
}

const results = new Map();
let port = 18400;
for (const scenario of scenarios) {
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (let k = 0; k < relays.length; k++) {
      const relay = relays[(k + repeat) % relays.length];
      if (relay.only && !relay.only(scenario)) continue;
      const r = await run(relay, scenario, port++);
      const key = `${scenario.key}/${relay.name}`;
      results.set(key, [...(results.get(key) ?? []), r]);
      console.error(`${scenario.key} #${repeat + 1} ${relay.name}: ${r.serverCpuSecondsPerMillionFrames?.toFixed(2)} CPU-s/1M, lost ${r.lossPercent.toFixed(3)}%, p99 ${r.latencyP99Ms.toFixed(1)} ms, join all ${r.connectSeconds.toFixed(2)} s${secondWave ? `, again ${r.secondConnectSeconds?.toFixed(2)} s` : ''}`);
    }
  }
}

const range = (values, digits = 1) => {
  const v = values.filter((x) => x !== null && x !== undefined && Number.isFinite(x));
  if (v.length === 0) return 'n/a';
  const [lo, hi] = [Math.min(...v), Math.max(...v)];
  return lo.toFixed(digits) === hi.toFixed(digits) ? lo.toFixed(digits) : `${lo.toFixed(digits)}–${hi.toFixed(digits)}`;
};
const lines = [];
lines.push(`Measured by \`node bench/compare.mjs${quick ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${repeats} interleaved repeat(s) of ${seconds} s of sending per relay and scenario; one speaker frame (Opus, about 80 bytes) every 20 ms; all connections from one \`wsaudio bot\` on the same 2 cores, which joins everyone as fast as it can (64 at a time) before sending; while it sends, 10 more listeners join the first room one by one (every 250 ms) and time their join (for the peers, their connect) to their first frame, and to their first frame captured after the join (live audio: WsAudio starts a joiner with the frames of the last 40 ms, \`Presence:JoinBurst\`). Ranges are min–max over the repeats.`);
lines.push('');
lines.push('| scenario | relay | server CPU-s per 10⁶ frames | lost | p99 latency (ms) | connect + join all (s) | server CPU to join (s) | late join → first audio, p50 (ms) | late join → live audio, p50 (ms) | memory per connection (KiB) | load average (1 min) |');
lines.push('|---|---|---|---|---|---|---|---|---|---|---|');
for (const scenario of scenarios) {
  for (const relay of relays.filter((r) => !r.only || r.only(scenario))) {
    const rs = results.get(`${scenario.key}/${relay.name}`) ?? [];
    lines.push(`| ${scenario.label} | ${relay.name} | ${range(rs.map((r) => r.serverCpuSecondsPerMillionFrames), 2)} | ${range(rs.map((r) => r.lossPercent), 2)}% | ${range(rs.map((r) => r.latencyP99Ms))} | ${range(rs.map((r) => r.connectSeconds), 2)} | ${range(rs.map((r) => r.serverConnectCpuSeconds), 2)} | ${range(rs.map((r) => r.lateJoinToFirstAudioP50Ms))} | ${range(rs.map((r) => r.lateJoinToLiveAudioP50Ms))} | ${range(rs.map((r) => r.serverMemoryPerConnectionBytes / 1024))} | ${range(rs.flatMap((r) => [r.loadBefore, r.loadAfter]), 2)} |`);
  }
}
const table = lines.join('\n');
console.log(table);
if (secondWave) {
  console.log('\n| scenario | relay | first wave: connect + join all (s) | server CPU (s) | bot CPU (s) | second wave, same server: connect + join all (s) | server CPU (s) | bot CPU (s) |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const scenario of scenarios) {
    for (const relay of relays.filter((r) => !r.only || r.only(scenario))) {
      const rs = results.get(`${scenario.key}/${relay.name}`) ?? [];
      console.log(`| ${scenario.label} | ${relay.name} | ${range(rs.map((r) => r.connectSeconds), 2)} | ${range(rs.map((r) => r.serverConnectCpuSeconds), 2)} | ${range(rs.map((r) => r.botConnectCpuSeconds), 2)} | ${range(rs.map((r) => r.secondConnectSeconds), 2)} | ${range(rs.map((r) => r.secondConnectCpuSeconds), 2)} | ${range(rs.map((r) => r.secondBotConnectCpuSeconds), 2)} |`);
    }
  }
}

if (process.argv.includes('--write')) {
  const path = join(root, 'docs/benchmarks.md');
  const doc = readFileSync(path, 'utf8');
  const start = '<!-- peers-bench:start -->';
  const end = '<!-- peers-bench:end -->';
  writeFileSync(path, doc.slice(0, doc.indexOf(start) + start.length) + '\n' + table + '\n' + doc.slice(doc.indexOf(end)));
}
