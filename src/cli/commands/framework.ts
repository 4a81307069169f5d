import { hasErrors } from "../../diagnostics/diagnostic.js";
import { DIAGNOSTIC_FORMATS, renderDiagnostics } from "../../diagnostics/render.js";
import { loadFramework } from "../../framework/load.js";
import { type Framework, countFramework, provenanceSummary } from "../../framework/model.js";
import { Registry, display } from "../../io/registry.js";
import { RatingAuthority } from "../../rating/authority.js";
import { loadRatingScale } from "../../rating/load.js";
import type { RatingScale } from "../../rating/schema.js";
import { dedupe } from "../../diagnostics/diagnostic.js";
import { writeDiagnostics } from "../colour.js";
import { suggestion } from "../suggest.js";
import { exitCodeFor } from "../exit-code.js";
import { type Terminal, EXIT, HelpRequested, UsageError, oneOf, parse } from "../command.js";

const USAGE = `Usage:
  mopan framework list [--format text|json]
  mopan framework show <id or file> [--format text|json]
  mopan framework validate <file...> [--format text|json|github|sarif]
`;

export async function framework(args: string[], io: Terminal): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "--help" || sub === "-h") throw new HelpRequested(USAGE);
  const { values, positionals } = parse(rest, { format: { type: "string", short: "f" } }, USAGE);
  if (sub === undefined) {
    io.stdout(USAGE);
    return EXIT.usage;
  }
  const registry = new Registry();
  switch (sub) {
    case "list": {
      const format = oneOf(values.format ?? "text", ["text", "json"], "format", USAGE);
      const rows = registry.frameworkIds().map((id) => ({ id, loaded: registry.framework(id) }));
      if (format === "json") {
        io.data(
          JSON.stringify(
            rows.map(({ id, loaded }) => (loaded.value ? summary(loaded.value) : { id, valid: false })),
            null,
            2,
          ) + "\n",
        );
      } else {
        for (const { id, loaded } of rows) {
          const f = loaded.value;
          if (!f) io.stdout(`${id}  (invalid: run "mopan framework validate framework/${id}.json")\n`);
          else {
            const c = countFramework(f);
            io.stdout(
              `${f.id.padEnd(18)} ${f.version.padEnd(7)} methodology ${f.methodology}  ${c.performanceAreas} PAs, ${c.kpis} KPIs, ${c.mis} MIs, ${c.elements} elements${f.base ? `  (overlay on ${f.base.id})` : ""}\n    ${f.title}\n`,
            );
          }
        }
      }
      return rows.every((r) => r.loaded.value) ? EXIT.ok : EXIT.invalid;
    }
    case "show": {
      const format = oneOf(values.format ?? "text", ["text", "json"], "format", USAGE);
      const [target, ...extra] = positionals;
      if (target === undefined || extra.length > 0) throw new UsageError("show takes one framework id or file.", USAGE);
      const loaded = looksLikeFile(target) ? loadFile(target, registry) : registry.framework(target);
      const diagnostics = [...loaded.diagnostics, ...registry.diagnostics];
      if (!loaded.value) {
        io.stderr(renderDiagnostics(diagnostics, "text"));
        return EXIT.invalid;
      }
      const scale = registry.findRatingScale(loaded.value.policy.ratingScale)!;
      io[format === "json" ? "data" : "stdout"](format === "json" ? JSON.stringify(showJson(loaded.value, scale), null, 2) + "\n" : showText(loaded.value, scale));
      return EXIT.ok;
    }
    case "validate": {
      const format = oneOf(values.format ?? "text", DIAGNOSTIC_FORMATS, "format", USAGE);
      if (positionals.length === 0) throw new UsageError("validate needs at least one file.", USAGE);
      const diagnostics = positionals.flatMap((file) => {
        const read = registry.readDocument(file);
        if (!read.ok) return read.diagnostics;
        const raw = read.value.value;
        if (typeof raw === "object" && raw !== null && "bands" in raw) {
          return loadRatingScale(raw, display(file)).diagnostics;
        }
        return loadFramework({ raw, file: display(file) }, registry).diagnostics;
      });
      const all = dedupe(registry.positioned([...diagnostics, ...registry.diagnostics]));
      writeDiagnostics(io, all, format);
      if (format === "text") {
        io.stdout(hasErrors(all) ? `${all.filter((d) => d.severity === "error").length} error(s) found.\n` : `${positionals.length} file(s) valid.\n`);
      }
      return exitCodeFor(all);
    }
    default:
      throw new UsageError(`unknown subcommand "${sub}".${suggestion(sub, ["list", "show", "validate"])}`, USAGE);
  }
}

const looksLikeFile = (target: string) => target.endsWith(".json") || target.includes("/");

function loadFile(file: string, registry: Registry) {
  const read = registry.readDocument(file);
  return read.ok ? loadFramework({ raw: read.value.value, file: display(file) }, registry) : { diagnostics: read.diagnostics };
}

function summary(f: Framework) {
  return {
    id: f.id,
    version: f.version,
    title: f.title,
    methodology: f.methodology,
    ratingScale: f.policy.ratingScale,
    ...(f.base ? { extends: f.base } : {}),
    counts: countFramework(f),
    provenance: provenanceSummary(f),
    contentHash: f.contentHash,
  };
}

function showJson(f: Framework, scale: RatingScale) {
  const items: { id: string; level: string; parent: string | null; title: string; provenance: unknown }[] = [];
  for (const pa of f.performanceAreas) {
    items.push({ id: pa.id, level: pa.level, parent: null, title: pa.title, provenance: pa.provenance });
    for (const kpi of pa.kpis) {
      items.push({ id: kpi.id, level: kpi.level, parent: pa.id, title: kpi.title, provenance: kpi.provenance });
      for (const mi of kpi.mis) {
        items.push({ id: mi.id, level: mi.level, parent: kpi.id, title: mi.title, provenance: mi.provenance });
        for (const e of mi.elements) items.push({ id: e.id, level: e.level, parent: mi.id, title: e.title, provenance: e.provenance });
      }
    }
  }
  return { ...summary(f), ratingScale: scale, policy: f.policy, changes: f.changes, items };
}

const SHORT: Record<string, string> = {
  verified: "V",
  "reconstructed-high": "R-H",
  "reconstructed-medium": "R-M",
  "reconstructed-low": "R-L",
  project: "P",
};

function showText(f: Framework, scale: RatingScale): string {
  const c = countFramework(f);
  const lines: string[] = [];
  lines.push(`${f.id} ${f.version}: ${f.title}`);
  lines.push(`Methodology ${f.methodology}; rating scale ${scale.id}${f.base ? `; overlay on ${f.base.id} ${f.base.version}` : ""}`);
  lines.push(`Content hash ${f.contentHash}`, "");
  lines.push(`${c.performanceAreas} performance areas, ${c.kpis} KPIs, ${c.mis} MIs (${c.elementScoredMis} scored through elements, ${c.resultsMis} results MIs), ${c.elements} elements`);
  lines.push(
    `Provenance of items: ${Object.entries(provenanceSummary(f))
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  lines.push(`  [V] verified, [R-H]/[R-M]/[R-L] reconstructed with high/medium/low confidence, [P] added by this project; nothing reconstructed is MOPAN's official text.`, "");
  lines.push(`Rating scale ${scale.id} (methodology ${scale.methodologies.join(", ")}; ${scale.provenance.status}):`);
  for (const band of [...RatingAuthority.bandsOf(scale)].reverse()) {
    lines.push(`  ${band.label.padEnd(24)} ${band.min.toFixed(scale.decimals)} to ${band.max.toFixed(scale.decimals)}`);
  }
  lines.push(`  ${scale.flags.noEvidence.label} / ${scale.flags.notApplicable.label}: no score`, "");
  if (f.base) {
    lines.push(`What ${f.id} changes in ${f.base.id} (${f.changes.length} changes):`);
    const sign = { add: "+", replace: "*", amend: "~", retire: "-" } as const;
    for (const ch of f.changes) {
      lines.push(`  ${sign[ch.op]} ${ch.op.padEnd(7)} ${ch.id.padEnd(11)} ${ch.title ?? ""}${ch.parent && ch.op === "add" ? ` (in ${ch.parent})` : ""}${ch.reason ? `: ${ch.reason}` : ""}`);
    }
    lines.push("");
  }
  for (const pa of f.performanceAreas) {
    lines.push(`${pa.id} ${pa.title} [${SHORT[pa.provenance.status]}]`);
    for (const kpi of pa.kpis) {
      lines.push(`  ${kpi.id} ${kpi.title} [${SHORT[kpi.provenance.status]}]`);
      for (const mi of kpi.mis) {
        const what = mi.scoring === "rubric" ? "results MI, rated 1-4 by rubric" : `${mi.elements.length} elements`;
        lines.push(`    ${mi.id} ${mi.title} (${what}) [${SHORT[mi.provenance.status]}]`);
        for (const e of mi.elements) lines.push(`      ${e.id} ${e.title} [${SHORT[e.provenance.status]}]`);
      }
    }
  }
  return lines.join("\n") + "\n";
}
