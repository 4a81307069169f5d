#!/usr/bin/env node
// Writes assessments/synthetic-survey-example/: a SYNTHETIC three-stream assessment of a made-up
// organisation (documents, interviews and a partner survey), for tests and the README.
// Every name, document, interview and survey answer in it is invented; nothing is IOM's or MOPAN's.
// Seeded: running it again writes the same bytes.  Usage: node scripts/generate-survey-example.mjs [--seed N] [--out DIR]
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const outArg = process.argv.indexOf("--out");
const OUT = outArg > 0 ? process.argv[outArg + 1] : join(ROOT, "assessments", "synthetic-survey-example");
const seedArg = process.argv.indexOf("--seed");
const SEED = seedArg > 0 ? Number(process.argv[seedArg + 1]) : 20261130;

// mulberry32: a small seeded generator; enough for made-up answers.
let state = SEED >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (weights) => {
  let r = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
  return weights.length - 1;
};

const ORG = "Northwind Relief Agency";
const SURVEY = "NRA partner survey 2025 (synthetic)";

// Partner groups and their sizes: two are below the minimum group size of 5 (suppressed).
const GROUPS = [
  ["Government", 108, 0],
  ["Donor", 86, -0.05],
  ["UN and multilateral", 68, 0.03],
  ["NGO", 51, -0.08],
  ["Academia", 4, 0],
  ["Private sector", 3, 0],
];
const REGIONS = ["East", "West", "North", "South"];

// id, statement, elements, share of agreeing answers aimed at, share of don't-knows.
const QUESTIONS = [
  ["Q01", "NRA's strategies refer to our country's national or regional plans.", "MI5.1.E1", 0.86, 0.06],
  ["Q02", "NRA's programmes reflect the needs of beneficiaries and vulnerable groups.", "MI5.1.E3", 0.74, 0.05],
  ["Q03", "NRA's country programming is aligned with the UN Cooperation Framework.", "MI5.1.E4", 0.7, 0.22],
  ["Q04", "NRA monitors and reports country results jointly with its partners.", "MI5.1.E5", 0.58, 0.12],
  ["Q05", "NRA's technical expertise is a real advantage in our partnership.", "MI6.2.E2", 0.82, 0.08],
  ["Q06", "NRA has the staff and resources to deliver what it says it is good at.", "MI6.2.E3", 0.6, 0.1],
  ["Q07", "NRA's commitments to partners reflect what it says it is good at.", "MI6.2.E4", 0.72, 0.14],
  ["Q08", "NRA shares key information with us in a timely way.", "MI6.6.E3", 0.68, 0.07],
  ["Q09", "NRA's staff apply clear standards of accountability to the people it serves.", "MI6.7.E2;MI6.7.E3", 0.24, 0.11],
  ["Q10", "NRA checks whether affected people can give feedback and complain.", "MI6.7.E6", 0.55, 0.25],
  ["Q11", "We can readily access the information we need from NRA.", "MI6.6.E4", 0.75, 0.05],
  ["Q12", "NRA's interventions respond to the needs and priorities of our country.", "MI10.1", 0.78, 0.06],
];
const AGREE = ["Somewhat agree", "Agree", "Strongly agree"];
const DISAGREE = ["Strongly disagree", "Disagree", "Somewhat disagree"];

const csvCell = (v) => (/[",\n;]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
const csv = (rows) => rows.map((r) => r.map(csvCell).join(",")).join("\n") + "\n";

// Respondents, in a shuffled order, with made-up ids.
const people = GROUPS.flatMap(([group, size, shift]) => Array.from({ length: size }, () => ({ group, shift })));
for (let i = people.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [people[i], people[j]] = [people[j], people[i]];
}
const rows = [["respondent", "partner_group", "region", ...QUESTIONS.map((q) => q[0])]];
people.forEach((p, i) => {
  const answers = QUESTIONS.map(([, , , agree, dontKnow]) => {
    const r = random();
    if (r < 0.015) return "";
    if (r < 0.015 + dontKnow) return random() < 0.15 ? "DON'T KNOW" : "Don't know / no opinion";
    const label = random() < agree + p.shift ? AGREE[pick([0.35, 0.4, 0.25])] : DISAGREE[pick([0.2, 0.35, 0.45])];
    return random() < 0.05 ? label.toLowerCase() : label;
  });
  rows.push([`nra-${String(1000 + ((i * 7919) % 9000)).padStart(4, "0")}`, p.group, REGIONS[Math.floor(random() * REGIONS.length)], ...answers]);
});

// Document and interview evidence, all invented. Suggested scores are the assessors' reading of
// each (made-up) source; Q09's survey answers contradict the documents on MI6.7.E2 and E3.
const doc = (id, title, section, quote, scores) => ({
  id,
  stream: "document",
  source: { title, section },
  date: "2025",
  quote,
  elements: Object.keys(scores),
  suggestedScores: scores,
});
const interviews = (id, title, n, summary, scores) => ({
  id,
  stream: "interview",
  source: { title, interviews: n },
  date: "2025-06",
  summary,
  elements: Object.keys(scores),
  suggestedScores: scores,
});
const PLAN = "NRA Strategic Plan 2023-2026 (fictional document)";
const RESULTS = "NRA Annual Results Report 2024 (fictional document)";
const AAP = "NRA Accountability to Affected People Framework (fictional document)";
const EVAL = "Independent evaluation of NRA country programmes, 2024 (fictional document)";
const evidence = [
  doc("doc-01", PLAN, "2.1", "Every country strategy starts from the host government's national development plan.", { "MI5.1.E1": 4, "MI5.1.E2": 3 }),
  doc("doc-02", EVAL, "3.2", "Needs assessments were found in 14 of the 16 programmes reviewed.", { "MI5.1.E3": 3 }),
  doc("doc-03", RESULTS, "4", "Country programming documents are signed off against the Cooperation Framework.", { "MI5.1.E4": 3, "MI5.1.E5": 2 }),
  doc("doc-04", PLAN, "5", "NRA's comparative advantage lies in logistics and rapid shelter response.", { "MI6.2.E1": 4, "MI6.2.E5": 3 }),
  doc("doc-05", EVAL, "5.1", "Technical capacity matched the advantage claimed in most country offices.", { "MI6.2.E2": 4, "MI6.2.E3": 2, "MI6.2.E4": 3 }),
  doc("doc-06", RESULTS, "7", "NRA publishes its activity and budget data quarterly to an open data standard.", { "MI6.6.E1": 3, "MI6.6.E2": 3, "MI6.6.E3": 3, "MI6.6.E4": 3 }),
  doc("doc-07", AAP, "1", "All staff apply the accountability standards, and every new staff member is trained on them.", {
    "MI6.7.E1": 4,
    "MI6.7.E2": 4,
    "MI6.7.E3": 4,
    "MI6.7.E4": 3,
    "MI6.7.E6": 2,
  }),
  doc("doc-08", EVAL, "2", "Programme designs rested on systematic needs analyses with the people affected.", { "MI10.1": 3 }),
  interviews("int-01", "Interviews with NRA headquarters staff (fictional)", 12, "Staff describe national plans as the starting point of each strategy; joint results reporting is uneven.", {
    "MI5.1.E1": 4,
    "MI5.1.E3": 3,
    "MI5.1.E5": 2,
  }),
  interviews(
    "int-02",
    "Interviews with NRA country office staff (fictional)",
    18,
    "Country teams cite logistics expertise as the reason partners seek them out, and report that data are shared on request.",
    { "MI6.2.E2": 4, "MI6.2.E4": 3, "MI6.6.E3": 3, "MI6.6.E4": 2 },
  ),
  interviews("int-03", "Interviews with NRA protection and accountability staff (fictional)", 7, "Staff say the accountability guidance exists, but training reached only some field teams.", {
    "MI6.7.E2": 3,
    "MI6.7.E6": 2,
  }),
];

// Every other element and results MI is N/E: the example covers five MIs on purpose.
const framework = JSON.parse(readFileSync(join(ROOT, "framework", "mopan-3.1.json"), "utf8"));
const covered = new Set([...evidence.flatMap((e) => Object.keys(e.suggestedScores)), ...QUESTIONS.flatMap((q) => q[2].split(";"))]);
const judgements = [];
for (const pa of framework.performanceAreas)
  for (const kpi of pa.kpis)
    for (const mi of kpi.mis) {
      for (const id of mi.scoring === "rubric" ? [mi.id] : mi.elements.map((e) => e.id)) {
        if (!covered.has(id)) judgements.push({ id, score: "N/E" });
      }
    }

const assessment = {
  $schema: "../../schema/assessment.schema.json",
  title: `${ORG} 2025: SYNTHETIC example with documents, interviews and a partner survey`,
  organisation: { name: `${ORG} (fictional)`, acronym: "NRA" },
  framework: { id: "mopan-3.1" },
  methodology: "3.1",
  period: { from: "2023-01", to: "2025-06" },
  assessors: [{ name: "Example assessor (fictional)", role: "lead" }],
  context: {
    partnerSurvey: { from: "2025-03", to: "2025-05" },
    notes: `Synthetic data for tests and the README, generated by scripts/generate-survey-example.mjs (seed ${SEED}). The organisation, its documents, interviews and survey answers are invented; they describe no real organisation and are no MOPAN figures.`,
  },
  provenance: { status: "project", source: "scripts/generate-survey-example.mjs", basis: "A made-up organisation assessed on made-up evidence, to show a three-stream assessment end to end." },
  judgements,
  evidence,
};
const survey = {
  $schema: "../../schema/survey.schema.json",
  title: SURVEY,
  date: "2025-05",
  note: "Synthetic answers from a seeded generator; no real partner answered.",
  questionnaire: "survey-questions.csv",
  responses: "survey-responses.csv",
  responseScale: "agreement-6",
  rule: "survey-share-agreeing",
  minGroupSize: 5,
  interval: { level: 0.95, resamples: 2000, seed: 1 },
};

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, "assessment.json"), JSON.stringify(assessment, null, 2) + "\n");
writeFileSync(join(OUT, "survey.json"), JSON.stringify(survey, null, 2) + "\n");
writeFileSync(join(OUT, "survey-questions.csv"), csv([["id", "statement", "elements"], ...QUESTIONS.map(([id, text, elements]) => [id, text, elements])]));
writeFileSync(join(OUT, "survey-responses.csv"), csv(rows));
console.log(`Wrote ${OUT} (${people.length} respondents, ${QUESTIONS.length} questions, seed ${SEED}).`);
