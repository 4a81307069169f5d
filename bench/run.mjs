// Benchmarks against dist/ (run `npm run bench`, which builds first and runs this file with
// --expose-gc, so that timed parts can start from a collected heap). Each benchmark prints its
// figures and a ratio measured in the same run, with PASS or MISS against its target. The exit
// code is 0 even on MISS (this reports); it is 1 only when a benchmark crashes.
//
//   1. cold start: `node dist/bin/mopan.js score <IOM>` (the `mopan` bin) as a whole process vs bare `node -e 0`
//   2. throughput: validate + score 1,000 generated mopan-3.1-crisis assessments vs reading and
//      parsing the same files; peak memory of that process
//   3. simulation: 10,000 draws of the IOM assessment vs a plain typed-array loop doing the same
//      sampling and averaging
//   4. scaling: validate, score, sensitivity, report and simulate on generated assessments of 1x, 4x
//      and 16x the IOM size (more MIs per KPI, more elements per MI, more evidence), each command's
//      growth exponent (the slope of log time against log size); and sensitivity on one KPI of
//      200 MIs x 50 elements
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median, ms, verdict } from "./figures.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
// What `npx mopan` runs: the bundled CLI.
const MAIN = join(DIST, "bin", "mopan.js");
const IOM = join(ROOT, "assessments", "iom-2023");
const dist = (path) => import(new URL(`../dist/${path}`, import.meta.url).href);

// ------------------------------------------------------------------------------------------
// Child mode for benchmark 2: validate + score the files in a folder, report timings and memory.

if (process.argv[2] === "--throughput-child") {
  const dir = process.argv[3];
  const rounds = Number(process.argv[4] ?? 3);
  const { Registry } = await dist("io/registry.js");
  const { checkAssessment } = await dist("assessment/check.js");
  const { score } = await dist("scoring/score.js");
  const { resolveRatingScale } = await dist("framework/rating-scale.js");
  const registry = new Registry();
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));
  const first = JSON.parse(readFileSync(files[0], "utf8"));
  const framework = registry.framework(first.framework.id).value;
  const { scale } = resolveRatingScale(framework, first.methodology, { scales: registry.ratingScales() });
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const floor = () => {
    let bytes = 0;
    for (const f of files) {
      const raw = JSON.parse(readFileSync(f, "utf8"));
      bytes += raw.judgements.length;
    }
    return bytes;
  };
  let errors = 0;
  let warnings = 0;
  let kpisRated = 0;
  const full = () => {
    errors = warnings = kpisRated = 0;
    for (let i = 0; i < files.length; i++) {
      const raw = JSON.parse(readFileSync(files[i], "utf8"));
      const checked = checkAssessment(raw, { framework, scale, file: files[i] });
      for (const d of checked.diagnostics) d.severity === "error" ? errors++ : warnings++;
      if (checked.assessment) {
        const result = score(framework, scale, checked.assessment);
        kpisRated += result.kpis.length;
      }
      if ((i & 15) === 0) sample();
    }
    sample();
  };
  // One untimed round of each warms up the code and the file cache; then interleaved timed rounds.
  floor();
  full();
  const floorMs = [];
  const fullMs = [];
  const floorCpu = [];
  const fullCpu = [];
  const cpu = (since) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  // Each timed part starts from a collected heap (the child runs with --expose-gc), so neither pays
  // for collecting the other's garbage.
  for (let r = 0; r < rounds; r++) {
    globalThis.gc?.();
    let c = process.cpuUsage();
    let t = performance.now();
    floor();
    floorMs.push(performance.now() - t);
    floorCpu.push(cpu(c));
    sample();
    globalThis.gc?.();
    c = process.cpuUsage();
    t = performance.now();
    full();
    fullMs.push(performance.now() - t);
    fullCpu.push(cpu(c));
  }
  // Where the time goes: each part alone, over the first 30 files parsed beforehand (after the
  // rounds, so the peak memory above is that of the pipeline), against the floor of the same files.
  const { Assessment } = await dist("assessment/schema.js");
  const { parseAssessmentShape } = await dist("assessment/shape.js");
  const { hashAssessment } = await dist("scoring/score.js");
  const some = files.slice(0, 30);
  const raws = some.map((f) => JSON.parse(readFileSync(f, "utf8")));
  // What the pipeline scores: the assessments as checkAssessment returns them (zod's own output
  // builds records another way, which V8 walks more slowly).
  const parsed = raws.map((r, i) => checkAssessment(r, { framework, scale, file: some[i] }).assessment);
  const floorPart = () => some.forEach((f) => JSON.parse(readFileSync(f, "utf8")));
  const part = (fn) => {
    fn();
    const runs = [];
    for (let i = 0; i < 7; i++) {
      const c = process.cpuUsage();
      fn();
      runs.push(cpu(c));
    }
    return median(runs);
  };
  const floorOfSome = part(floorPart);
  const parts = {
    "shape (compiled validator and copy)": part(() => raws.forEach((r) => parseAssessmentShape(r))),
    "checkAssessment (shape and semantic checks)": part(() => raws.forEach((r, i) => checkAssessment(r, { framework, scale, file: some[i] }))),
    "score()": part(() => parsed.forEach((a) => score(framework, scale, a))),
    "of which the assessment hash": part(() => parsed.forEach((a) => hashAssessment(a))),
  };
  // For reference: zod's own parse, which now runs only for an assessment the compiled validator refuses.
  parts["zod parse (not in the pipeline)"] = part(() => raws.forEach((r) => Assessment.safeParse(r)));
  for (const name of Object.keys(parts)) parts[name] /= floorOfSome;
  process.stdout.write(JSON.stringify({ files: files.length, floorMs, fullMs, floorCpu, fullCpu, peakRss: peak, errors, warnings, kpisRated, parts }));
  process.exit(0);
}

// ------------------------------------------------------------------------------------------

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
console.log(
  `Machine: ${cpu}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 20)} MB RAM, node ${process.version}, ${os.platform()} ${os.arch()}; load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`,
);
if (!existsSync(MAIN)) {
  console.error("dist/bin/mopan.js is missing: run `npm run build` (npm run bench does).");
  process.exit(1);
}
const tmp = mkdtempSync(join(os.tmpdir(), "mopan-bench-"));
let crashed = false;

// `npm run bench -- 2 4` runs benchmarks 2 and 4 only.
const only = process.argv.slice(2).filter((a) => /^\d+$/.test(a));

async function bench(name, fn) {
  if (only.length > 0 && !only.includes(name.split(" ")[0])) return;
  console.log(`\n[${name}]`);
  try {
    await fn();
  } catch (error) {
    crashed = true;
    console.log(`CRASH: ${error?.stack ?? error}`);
  }
}

/** 1,000-ish full assessments of a framework: every leaf judged, each citing several evidence entries. */
async function generator() {
  const { Registry } = await dist("io/registry.js");
  const { planFor } = await dist("scoring/plan.js");
  const registry = new Registry();
  const loaded = registry.framework("mopan-3.1-crisis");
  if (!loaded.value) throw new Error(`mopan-3.1-crisis does not load: ${JSON.stringify(loaded.diagnostics)}`);
  const framework = loaded.value;
  const plan = planFor(framework);
  const { elementScale: es, resultsScale: rs } = framework.policy;
  const streams = ["document", "survey", "interview", "other"];
  return (i) => {
    let s = (i + 1) * 2654435761;
    const rnd = (n) => {
      s = (Math.imul(s ^ (s >>> 15), 2246822519) + 3266489917) >>> 0;
      return s % n;
    };
    const value = (results) => {
      const sc = results ? rs : es;
      const steps = Math.round((sc.max - sc.min) / sc.step);
      return sc.min + rnd(steps + 1) * sc.step;
    };
    const nEvidence = 48;
    const evidence = Array.from({ length: nEvidence }, (_, e) => ({
      id: `EV-${String(e + 1).padStart(3, "0")}`,
      stream: streams[e % streams.length],
      source: { title: `Source document ${e + 1} of assessment ${i + 1}`, url: `https://example.org/assessment/${i + 1}/source/${e + 1}`, page: String(1 + rnd(200)) },
      date: "2023-0" + (1 + (e % 9)),
      summary: `Summary of what source ${e + 1} says about the organisation's practice; generated for the throughput benchmark.`,
      elements: [],
      suggestedScores: {},
    }));
    const judgements = plan.leaves.map((leaf) => {
      const cites = [rnd(nEvidence), rnd(nEvidence), rnd(nEvidence)].filter((x, k, all) => all.indexOf(x) === k);
      for (const c of cites) {
        const ev = evidence[c];
        ev.elements.push(leaf.id);
        if (rnd(2) === 0) ev.suggestedScores[leaf.id] = value(leaf.results);
      }
      return {
        id: leaf.id,
        score: value(leaf.results),
        rationale: `Judged from ${cites.length} sources; generated rationale text for ${leaf.id}.`,
        evidence: cites.map((c) => evidence[c].id),
      };
    });
    for (const ev of evidence) if (Object.keys(ev.suggestedScores).length === 0) delete ev.suggestedScores;
    return {
      title: `Generated assessment ${i + 1}`,
      organisation: { name: `Organisation ${i + 1}`, acronym: `ORG${i + 1}` },
      framework: { id: framework.id, version: framework.version },
      methodology: framework.methodology,
      period: { from: "2022", to: "2023" },
      assessors: [{ name: "Bench", role: "generator" }],
      judgements,
      evidence,
    };
  };
}

// 1. Cold start --------------------------------------------------------------------------------
await bench("1 cold start: mopan score vs node -e 0", async () => {
  let target = IOM;
  let note = "assessments/iom-2023";
  if (!existsSync(join(IOM, "assessment.json"))) {
    const make = await generator();
    target = join(tmp, "cold", "generated");
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "assessment.json"), JSON.stringify(make(0)));
    note = "a generated mopan-3.1-crisis assessment (assessments/iom-2023 is missing)";
  }
  const runs = 21;
  const time = (args) => {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    const elapsed = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
    return elapsed;
  };
  // CPU time of the children (user + system, from /proc/self/stat once they are reaped), which
  // other work on a shared machine disturbs far less than wall time.
  const childCpu = () => {
    try {
      const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1].split(" ");
      return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100;
    } catch {
      return Number.NaN;
    }
  };
  time([MAIN, "score", target]);
  time(["-e", "0"]);
  const cli = [];
  const bare = [];
  let cliCpu = 0;
  let bareCpu = 0;
  for (let i = 0; i < runs; i++) {
    let c = childCpu();
    cli.push(time([MAIN, "score", target]));
    cliCpu += childCpu() - c;
    c = childCpu();
    bare.push(time(["-e", "0"]));
    bareCpu += childCpu() - c;
  }
  // Each CLI run is paired with the bare run after it; the ratio is the median of the pairs' ratios.
  const ratio = median(cli.map((c, i) => c / bare[i]));
  console.log(`  mopan score ${note}: median ${ms(median(cli))} (min ${ms(Math.min(...cli))}) over ${runs} runs`);
  console.log(`  node -e 0:                 median ${ms(median(bare))} (min ${ms(Math.min(...bare))}) over ${runs} runs, interleaved`);
  console.log(`  ratio, median of paired runs ${ratio.toFixed(2)}x (target <= 2x) ${verdict(ratio <= 2)}`);
  if (Number.isFinite(cliCpu)) console.log(`  cpu time per run (user + system, mean): mopan ${ms(cliCpu / runs)}, node -e 0 ${ms(bareCpu / runs)}: ${(cliCpu / bareCpu).toFixed(2)}x (for reference)`);
});

// 2. Throughput and memory ---------------------------------------------------------------------
await bench("2 throughput: validate + score 1,000 mopan-3.1-crisis assessments vs read + JSON.parse", async () => {
  const make = await generator();
  const dir = join(tmp, "throughput");
  mkdirSync(dir);
  const count = 1000;
  let bytes = 0;
  const t = performance.now();
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(make(i));
    bytes += text.length;
    writeFileSync(join(dir, `a${String(i).padStart(4, "0")}.json`), text);
  }
  console.log(
    `  generated ${count} assessments (${(bytes / 2 ** 20).toFixed(1)} MB, ${make(0).judgements.length} judgements and ${make(0).evidence.length} evidence entries each) in ${ms(performance.now() - t)}`,
  );
  const useTime = existsSync("/usr/bin/time");
  const args = ["--expose-gc", fileURLToPath(import.meta.url), "--throughput-child", dir, "9"];
  const r = useTime
    ? spawnSync("/usr/bin/time", ["-v", process.execPath, ...args], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 })
    : spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`throughput child exited ${r.status}: ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  const maxRss = useTime ? Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? Number.NaN) * 1024 : Number.NaN;
  if (out.errors > 0) throw new Error(`${out.errors} validation errors in generated assessments`);
  const floor = median(out.floorMs);
  const full = median(out.fullMs);
  // Each full round is paired with the floor round before it; the ratio is the median of the pairs'.
  const ratio = median(out.fullMs.map((f, i) => f / out.floorMs[i]));
  const peak = Number.isFinite(maxRss) ? maxRss : out.peakRss;
  console.log(`  read + JSON.parse:                    ${out.floorMs.map(ms).join(", ")} (median ${ms(floor)}, ${(floor / out.files).toFixed(2)} ms per assessment)`);
  console.log(
    `  read + parse + checkAssessment + score: ${out.fullMs.map(ms).join(", ")} (median ${ms(full)}, ${(full / out.files).toFixed(2)} ms per assessment, ${out.kpisRated} KPI results, ${out.warnings} warnings)`,
  );
  console.log(`  ratio, median of paired rounds ${ratio.toFixed(2)}x (target <= 3x) ${verdict(ratio <= 3)}`);
  console.log(
    `  cpu time (user + system, medians): ${ms(median(out.floorCpu))} vs ${ms(median(out.fullCpu))}: ${(median(out.fullCpu) / median(out.floorCpu)).toFixed(2)}x (for reference; it counts the garbage collector's helper threads too)`,
  );
  console.log(
    `  parts (cpu time, each alone on 30 of the files, as a multiple of read + JSON.parse of the same files): ${Object.entries(out.parts)
      .map(([name, x]) => `${name} ${x.toFixed(2)}x`)
      .join("; ")}`,
  );
  console.log(
    `  peak RSS ${(peak / 2 ** 20).toFixed(1)} MB${Number.isFinite(maxRss) ? " (/usr/bin/time -v, whole child process)" : " (sampled rss)"}; sampled in-process max ${(out.peakRss / 2 ** 20).toFixed(1)} MB (target < 300 MB) ${verdict(peak < 300 * 2 ** 20)}`,
  );
  rmSync(dir, { recursive: true, force: true });
});

// 3. Simulation --------------------------------------------------------------------------------
await bench("3 simulation: 10,000 draws of the IOM assessment vs a plain typed-array loop", async () => {
  const { prepareAssessment } = await dist("io/assessment-files.js");
  const { Registry } = await dist("io/registry.js");
  const { simulate } = await dist("analysis/simulate.js");
  const { UncertaintyModel, offsetsOf } = await dist("analysis/uncertainty-schema.js");
  const { planFor } = await dist("scoring/plan.js");
  const { resolveLeaves, score } = await dist("scoring/score.js");
  let path = IOM;
  let note = "assessments/iom-2023";
  if (!existsSync(join(IOM, "assessment.json"))) {
    path = join(tmp, "cold", "generated");
    note = "generated assessment (assessments/iom-2023 is missing)";
  }
  const prepared = prepareAssessment(path, new Registry());
  if (!prepared.assessment) throw new Error(`${note} does not validate: ${JSON.stringify(prepared.diagnostics.slice(0, 3))}`);
  const { framework, scale, assessment } = prepared;
  const uncertainty = UncertaintyModel.parse(JSON.parse(readFileSync(join(ROOT, "framework/uncertainty/default.json"), "utf8")));
  const draws = 10_000;
  const seed = 20_231_231;

  // The baseline: the same draws (xoshiro128** from SplitMix32, one per varying leaf in plan
  // order, the same discrete tables, clamping), then MI means and KPI means, averaged over draws.
  const plan = planFor(framework);
  const base = resolveLeaves(framework, assessment).map((l) => l.value);
  const confidence = score(framework, scale, assessment).mis.map((m) => m.confidence.computed);
  const isScore = (v) => typeof v === "object";
  const varying = [];
  base.forEach((v, i) => {
    if (isScore(v) && confidence[plan.leaves[i].mi]) varying.push(i);
  });
  const nv = varying.length;
  const levelStart = {};
  const cumList = [];
  const deltaList = [];
  for (const level of ["high", "medium", "low"]) {
    levelStart[level] = cumList.length;
    const entries = offsetsOf(uncertainty.levels[level]);
    let acc = 0;
    entries.forEach((e, k) => {
      acc += e.p;
      cumList.push(k === entries.length - 1 ? 2 ** 32 : Math.floor(acc * 2 ** 32));
      deltaList.push(e.offset);
    });
  }
  const cum = Float64Array.from(cumList);
  const delta = Int32Array.from(deltaList);
  const start = Int32Array.from(varying, (i) => levelStart[confidence[plan.leaves[i].mi]]);
  const scaleOf = (i) => (plan.leaves[i].results ? framework.policy.resultsScale : framework.policy.elementScale);
  const x0 = Float64Array.from(varying, (i) => Number(base[i].valueOf()));
  const lo = Float64Array.from(varying, (i) => scaleOf(i).min);
  const hi = Float64Array.from(varying, (i) => scaleOf(i).max);
  const step = Float64Array.from(varying, (i) => scaleOf(i).step);
  const miOf = Int32Array.from(varying, (i) => plan.leaves[i].mi);
  const nm = plan.mis.length;
  const nk = plan.kpis.length;
  const miFixed = new Float64Array(nm);
  const miCount = new Float64Array(nm);
  base.forEach((v, i) => {
    if (!isScore(v)) return;
    miCount[plan.leaves[i].mi]++;
    if (!varying.includes(i)) miFixed[plan.leaves[i].mi] += Number(v.valueOf());
  });
  const kpiOfMi = Int32Array.from(plan.mis, (m) => m.kpi);
  const kpiCount = new Float64Array(nk);
  for (let m = 0; m < nm; m++) if (miCount[m] > 0) kpiCount[kpiOfMi[m]]++;
  function baseline() {
    let s = seed | 0;
    const split = () => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    let a = split() | 0,
      b = split() | 0,
      c = split() | 0,
      d = split() | 0;
    const miSum = new Float64Array(nm);
    const kpiSum = new Float64Array(nk);
    const acc = new Float64Array(nk);
    for (let draw = 0; draw < draws; draw++) {
      miSum.set(miFixed);
      for (let v = 0; v < nv; v++) {
        const r5 = Math.imul(b, 5);
        const r = Math.imul((r5 << 7) | (r5 >>> 25), 9) >>> 0;
        const t = b << 9;
        c ^= a;
        d ^= b;
        b ^= c;
        a ^= d;
        c ^= t;
        d = (d << 11) | (d >>> 21);
        let j = start[v];
        while (r >= cum[j]) j++;
        let x = x0[v] + delta[j] * step[v];
        if (x < lo[v]) x = lo[v];
        else if (x > hi[v]) x = hi[v];
        miSum[miOf[v]] += x;
      }
      kpiSum.fill(0);
      for (let m = 0; m < nm; m++) if (miCount[m] > 0) kpiSum[kpiOfMi[m]] += miSum[m] / miCount[m];
      for (let k = 0; k < nk; k++) if (kpiCount[k] > 0) acc[k] += kpiSum[k] / kpiCount[k];
    }
    for (let k = 0; k < nk; k++) acc[k] /= draws;
    return acc;
  }
  const run = () => simulate(framework, scale, assessment, { draws, seed, uncertainty });
  // Warm up both, then interleave.
  run();
  baseline();
  const simMs = [];
  const loopMs = [];
  let result;
  let means;
  for (let i = 0; i < 7; i++) {
    let t = performance.now();
    result = run();
    simMs.push(performance.now() - t);
    t = performance.now();
    means = baseline();
    loopMs.push(performance.now() - t);
  }
  const diff = Math.max(...result.kpis.map((k, i) => (k.mean === null ? 0 : Math.abs(k.mean - means[i]))));
  const sim = median(simMs);
  const loop = median(loopMs);
  const ratio = sim / loop;
  console.log(`  ${note}: ${nv} varying leaves of ${plan.leaves.length}, ${nk} KPIs, method ${result.parameters.method}`);
  console.log(`  simulate() ${draws} draws (ratings, histograms, mean, std, quantiles): median ${ms(sim)} (${simMs.map((x) => x.toFixed(1)).join(", ")})`);
  console.log(
    `  plain typed-array loop, same draws, MI and KPI means: median ${ms(loop)} (${loopMs.map((x) => x.toFixed(1)).join(", ")}); KPI means agree within ${diff.toExponential(1)} (simulate rounds to ${framework.policy.rounding.decimals + 2} places)`,
  );
  console.log(`  ${ms(sim)} (target < 1000 ms) ${verdict(sim < 1000)}; ratio ${ratio.toFixed(2)}x (target <= 5x) ${verdict(ratio <= 5)}`);
  // The whole command, for reference.
  const t = performance.now();
  const r = spawnSync(process.execPath, [MAIN, "simulate", path, "--draws", String(draws), "--seed", String(seed)], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  if (r.status !== 0) throw new Error(`mopan simulate exited ${r.status}: ${r.stderr}`);
  console.log(`  (for reference: the whole \`mopan simulate --draws ${draws}\` process took ${ms(performance.now() - t)})`);
});

// 4. Scaling -----------------------------------------------------------------------------------
await bench("4 scaling: growth exponent of each command on 1x, 4x and 16x the IOM size", async () => {
  const { Registry } = await dist("io/registry.js");
  const { loadFramework } = await dist("framework/load.js");
  const { checkAssessment } = await dist("assessment/check.js");
  const { score } = await dist("scoring/score.js");
  const { sensitivity } = await dist("analysis/sensitivity.js");
  const { simulate } = await dist("analysis/simulate.js");
  const { renderHtmlReport } = await dist("report/html.js");
  const { UncertaintyModel } = await dist("analysis/uncertainty-schema.js");
  const registry = new Registry();
  const policy = JSON.parse(readFileSync(join(ROOT, "framework/mopan-3.1.json"), "utf8")).policy;
  const scale = registry.findRatingScale(policy.ratingScale);
  const scales = registry.ratingScales();
  const uncertainty = UncertaintyModel.parse(JSON.parse(readFileSync(join(ROOT, "framework/uncertainty/default.json"), "utf8")));
  const streams = ["document", "survey", "interview", "other"];

  /** A framework of `kpis` KPIs with `mis` MIs of `elements` elements each, and a full assessment of it. */
  const generate = (kpis, mis, elements, evidenceCount) => {
    let seed = 12345;
    const rnd = (n) => {
      seed = (Math.imul(seed ^ (seed >>> 15), 2246822519) + 3266489917) >>> 0;
      return seed % n;
    };
    const raw = {
      id: "bench-scaling",
      version: "1.0.0",
      title: "Generated for the scaling benchmark",
      methodology: "3.1",
      provenance: { status: "project", source: "bench/run.mjs", basis: "Generated." },
      policy,
      performanceAreas: [
        {
          id: "PA1",
          title: "Area",
          kpis: Array.from({ length: kpis }, (_, k) => ({
            id: `KPI${k + 1}`,
            title: `KPI ${k + 1}`,
            mis: Array.from({ length: mis }, (_, m) => ({
              id: `MI${k + 1}.${m + 1}`,
              title: `MI ${k + 1}.${m + 1}`,
              scoring: "elements",
              elements: Array.from({ length: elements }, (_, e) => ({ id: `MI${k + 1}.${m + 1}.E${e + 1}`, title: `Element ${e + 1} of MI ${k + 1}.${m + 1}` })),
            })),
          })),
        },
      ],
    };
    const loaded = loadFramework({ raw }, registry);
    if (!loaded.value) throw new Error(`generated framework does not load: ${JSON.stringify(loaded.diagnostics.slice(0, 3))}`);
    const evidence = Array.from({ length: evidenceCount }, (_, e) => ({
      id: `EV-${e + 1}`,
      stream: streams[e % streams.length],
      source: { title: `Source ${e + 1}`, url: `https://example.org/source/${e + 1}`, page: String(1 + rnd(300)) },
      quote: `A sentence quoted from source ${e + 1} about the organisation's practice.`,
      elements: [],
      suggestedScores: {},
    }));
    const judgements = [];
    for (let k = 1; k <= kpis; k++)
      for (let m = 1; m <= mis; m++)
        for (let e = 1; e <= elements; e++) {
          const id = `MI${k}.${m}.E${e}`;
          const cites = [rnd(evidenceCount), rnd(evidenceCount), rnd(evidenceCount)].filter((x, i, all) => all.indexOf(x) === i);
          for (const c of cites) {
            evidence[c].elements.push(id);
            if (rnd(2) === 0) evidence[c].suggestedScores[id] = rnd(5);
          }
          judgements.push({ id, score: rnd(5) === 0 ? "N/E" : rnd(5), rationale: `Generated rationale for ${id}.`, evidence: cites.map((c) => evidence[c].id) });
        }
    for (const ev of evidence) if (Object.keys(ev.suggestedScores).length === 0) delete ev.suggestedScores;
    const assessment = {
      organisation: { name: "Generated organisation" },
      framework: { id: "bench-scaling", version: "1.0.0" },
      methodology: "3.1",
      period: { from: "2022", to: "2023" },
      assessors: [{ name: "Bench" }],
      judgements,
      evidence,
    };
    return { framework: loaded.value, text: JSON.stringify(assessment), judgements: judgements.length };
  };

  // CPU time of this process (user + system), median of runs: on a machine shared with other
  // work, wall time mostly measures the other work; wall time is printed beside it.
  // A sample repeats the call enough times to take about 100 ms, so short calls are not lost in noise.
  const time = (fn, runs) => {
    const cpu = [];
    const wall = [];
    const once = performance.now();
    fn();
    const repeat = Math.max(1, Math.ceil(100 / Math.max(0.01, performance.now() - once)));
    for (let i = 0; i < runs; i++) {
      // From a collected heap (npm run bench passes --expose-gc), so a sample does not pay for the last one's garbage.
      globalThis.gc?.();
      const c = process.cpuUsage();
      const start = performance.now();
      for (let r = 0; r < repeat; r++) fn();
      wall.push((performance.now() - start) / repeat);
      const used = process.cpuUsage(c);
      cpu.push((used.user + used.system) / 1000 / repeat);
    }
    return { cpu: median(cpu), wall: median(wall) };
  };
  // Per factor: MIs per KPI and elements per MI grow by sqrt(factor) each, evidence by factor.
  const factors = [1, 4, 16];
  const cases = factors.map((f) => generate(12, 5 * Math.sqrt(f), 4 * Math.sqrt(f), 48 * f));
  const commands = {
    validate: (c) => checkAssessment(JSON.parse(c.text), { framework: c.framework, scale, file: "assessment.json" }),
    score: (c) => score(c.framework, scale, c.assessment),
    sensitivity: (c) => sensitivity(c.framework, scale, c.assessment, { scales }),
    report: (c) => renderHtmlReport(score(c.framework, scale, c.assessment), c.framework, c.assessment, scale).length,
    "simulate (2,000 draws)": (c) => simulate(c.framework, scale, c.assessment, { draws: 2000, seed: 7, uncertainty }),
  };
  for (const c of cases) {
    const checked = checkAssessment(JSON.parse(c.text), { framework: c.framework, scale });
    if (!checked.assessment) throw new Error(`generated assessment does not validate: ${JSON.stringify(checked.diagnostics.slice(0, 3))}`);
    c.assessment = checked.assessment;
  }
  console.log("  cpu time of each call (median), at 1x / 4x / 16x; the exponent is the slope of log cpu time against log size");
  const iomFile = join(IOM, "assessment.json");
  const iomNote = existsSync(iomFile) ? ` (IOM: ${JSON.parse(readFileSync(iomFile, "utf8")).judgements.length} judgements, ${(readFileSync(iomFile).length / 1024).toFixed(0)} KB)` : "";
  console.log(`  sizes: ${cases.map((c, i) => `${factors[i]}x = ${c.judgements} elements, ${(c.text.length / 1024).toFixed(0)} KB`).join("; ")}${iomNote}`);
  const logF = factors.map(Math.log);
  const meanLog = logF.reduce((a, b) => a + b) / logF.length;
  for (const [name, fn] of Object.entries(commands)) {
    fn(cases[0]);
    const measured = cases.map((c) => time(() => fn(c), 7));
    const times = measured.map((m) => m.cpu);
    const logT = times.map(Math.log);
    const meanT = logT.reduce((a, b) => a + b) / logT.length;
    const slope = logF.reduce((acc, x, i) => acc + (x - meanLog) * (logT[i] - meanT), 0) / logF.reduce((acc, x) => acc + (x - meanLog) ** 2, 0);
    console.log(
      `  ${name.padEnd(24)} cpu ${times.map(ms).join(" / ").padEnd(30)} (wall ${measured.map((m) => ms(m.wall)).join(" / ")}) exponent ${slope.toFixed(2)} (target <= 1.2) ${verdict(slope <= 1.2)}`,
    );
  }

  // One KPI of 200 MIs x 50 elements: the case that took 177 s when sensitivity was quadratic.
  const big = generate(1, 200, 50, 480);
  const checked = checkAssessment(JSON.parse(big.text), { framework: big.framework, scale });
  if (!checked.assessment) throw new Error("the 200 x 50 assessment does not validate");
  const t = time(() => sensitivity(big.framework, scale, checked.assessment, { scales }), 3);
  console.log(
    `  sensitivity on one KPI of 200 MIs x 50 elements: median cpu ${ms(t.cpu)}, wall ${ms(t.wall)} (target < 2000 ms) ${verdict(t.cpu < 2000)}${t.wall < 2000 ? "" : " on cpu time; wall time is over it at this load"}`,
  );
});

// The browser workbench's benchmarks live in their own file.
await bench("5 workbench: time to interactive and re-render in headless Chromium", async () => {
  const run = spawnSync(process.execPath, [join(ROOT, "bench/workbench.mjs")], { stdio: "inherit" });
  if (run.status !== 0) throw new Error("bench/workbench.mjs failed");
});

rmSync(tmp, { recursive: true, force: true });
console.log(crashed ? "\nA benchmark crashed." : "\nAll benchmarks ran.");
process.exit(crashed ? 1 : 0);
