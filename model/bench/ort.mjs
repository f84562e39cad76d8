// Runs model/emotion.onnx in onnxruntime-web (wasm execution provider, one
// thread) under node on the PyTorch test vectors, and prints one JSON
// object: time per window (median and spread of many runs after warm-up,
// and the mean CPU time),
// and the largest differences between ort's logits, PyTorch's and ours
// (go run ./model/bench/logits).
//
//	node model/bench/ort.mjs [-runs N] [-warmup N] [-go-logits FILE|-no-go]
import { readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import * as ort from "onnxruntime-web";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i < 0 ? def : args[i + 1];
};
const runs = Number(opt("-runs", 300));
const warmup = Number(opt("-warmup", 30));

// readNPY reads a little-endian float32 .npy file (format 1.0 or 2.0).
function readNPY(path) {
  const b = readFileSync(path);
  if (b.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${path}: not an .npy file`);
  const major = b[6];
  const hlen = major === 1 ? b.readUInt16LE(8) : b.readUInt32LE(8);
  const start = major === 1 ? 10 + hlen : 12 + hlen;
  const header = b.toString("latin1", major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header)) {
    throw new Error(`${path}: want little-endian float32 in C order, header ${header}`);
  }
  const shape = header.match(/'shape':\s*\(([^)]*)\)/)[1].split(",").filter((s) => s.trim()).map(Number);
  const data = new Float32Array(b.buffer.slice(b.byteOffset + start, b.byteOffset + b.length));
  return { shape, data };
}

const maxDiff = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const quantile = (s, q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];

ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";
const modelBytes = readFileSync(join(root, "model", "emotion.onnx"));
const t0 = performance.now();
const session = await ort.InferenceSession.create(modelBytes, {
  executionProviders: ["wasm"],
  graphOptimizationLevel: "all",
});
const loadMs = performance.now() - t0;

const input = readNPY(join(root, "model", "testdata", "testvec_input.npy"));
const torch = readNPY(join(root, "model", "testdata", "testvec_logits_int8.npy"));
const [n, ...win] = input.shape;
const size = win.reduce((a, b) => a * b, 1);
const feeds = [];
for (let i = 0; i < n; i++) {
  feeds.push({ [session.inputNames[0]]: new ort.Tensor("float32", input.data.slice(i * size, (i + 1) * size), [1, ...win]) });
}
const outName = session.outputNames[0];

const ortLogits = [];
for (const f of feeds) ortLogits.push(Array.from((await session.run(f))[outName].data));
const classes = ortLogits[0].length;
let vsTorch = 0;
for (let i = 0; i < n; i++) vsTorch = Math.max(vsTorch, maxDiff(ortLogits[i], torch.data.slice(i * classes, (i + 1) * classes)));

// Our logits: a failure to get them is reported in the JSON (goError), not
// thrown, so that the timing still comes out.
let vsGo = null;
let goError = null;
if (!args.includes("-no-go")) {
  const goFile = opt("-go-logits", null);
  try {
    const json = goFile
      ? readFileSync(goFile, "utf8")
      : execFileSync("go", ["run", "./model/bench/logits", "model/testdata/testvec_input.npy"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const goLogits = JSON.parse(json);
    vsGo = 0;
    for (let i = 0; i < n; i++) vsGo = Math.max(vsGo, maxDiff(ortLogits[i], goLogits[i]));
  } catch (err) {
    goError = `${err.stderr || err.message}`.split("\n").find((l) => l.trim()) || "failed";
    console.error(`ort.mjs: our logits: ${err.stderr || err.message}`);
  }
}

for (let i = 0; i < warmup; i++) await session.run(feeds[i % n]);
const times = [];
const cpu0 = process.cpuUsage();
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  await session.run(feeds[i % n]);
  times.push(performance.now() - t);
}
const cpu = process.cpuUsage(cpu0);
times.sort((a, b) => a - b);
const r3 = (x) => Math.round(x * 1000) / 1000;
console.log(JSON.stringify({
  engine: `onnxruntime-web ${ort.env.versions?.web ?? "1.30.0"}, wasm EP, 1 thread, node ${process.versions.node}`,
  window: win,
  session_create_ms: r3(loadMs),
  runs,
  warmup,
  ms_per_window: { median: r3(quantile(times, 0.5)), p10: r3(quantile(times, 0.1)), p90: r3(quantile(times, 0.9)), min: r3(times[0]) },
  // CPU time of the process per window (mean): on a shared machine the
  // wall time also counts waiting for a core.
  cpu_ms_per_window: r3((cpu.user + cpu.system) / 1000 / runs),
  max_abs_diff_vs_pytorch: vsTorch,
  max_abs_diff_vs_go: vsGo,
  go_logits_error: goError,
}));
