import { type Comparable, type Comparison, compareResults, publishedComparable } from "../../analysis/compare.js";
import { type Crosswalk, checkCrosswalk } from "../../analysis/crosswalk-schema.js";
import type { Assessment } from "../../assessment/schema.js";
import { renderText as renderDiagnosticsText } from "../../diagnostics/render.js";
import { type Framework, indexFramework } from "../../framework/model.js";
import { findCrosswalk, loadCrosswalk } from "../../io/crosswalks.js";
import { Registry } from "../../io/registry.js";
import type { RatingScale } from "../../rating/schema.js";
import { renderCompareCsv, renderCompareMarkdown, renderCompareText } from "../../render/compare.js";
import { renderCompareHtml } from "../../report/compare-html.js";
import { score } from "../../scoring/score.js";
import { loadAssessment } from "../load-assessment.js";
import { type Terminal, EXIT, UsageError, oneOf, parse } from "../command.js";

const USAGE = `Usage:
  mopan compare <a> <b> [--format text|json|csv|md|html] [--crosswalk <file>] [--frameworks <dir>]
  mopan compare <assessment> --published [--format text|json|csv|md|html]

Compares KPI and MI scores and ratings of two assessments (one organisation over time, or two
organisations), or with --published an assessment's computed scores against its "published" block.
Per item: both scores, the change (b − a), both ratings; sorted by absolute change; rating changes
called out. When the methodologies' rating scales differ, a's scores are also rated on b's scale so
that a band change without a change in score shows as a scale effect.
  --format      text (default), json, csv, md or html
  --published   compare the assessment's computed scores with its published ones (a = published)
  --crosswalk   a crosswalk file pairing the items of two different frameworks; by default
                framework/crosswalks/<a>--<b>.json (either order) is used when the frameworks differ
  --frameworks  a folder with more frameworks (<id>.json), rating-scales/ and crosswalks/
Exit codes: 0 compared, 1 invalid input or no crosswalk, 2 usage error.
`;

interface Loaded {
  readonly assessment: Assessment;
  readonly framework: Framework;
  readonly scale: RatingScale;
}

export async function compareCommand(args: string[], io: Terminal): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      format: { type: "string", short: "f" },
      published: { type: "boolean" },
      crosswalk: { type: "string" },
      frameworks: { type: "string" },
    },
    USAGE,
  );
  const format = oneOf(values.format ?? "text", ["text", "json", "csv", "md", "html"], "format", USAGE);
  const published = values.published === true;
  if (published && positionals.length !== 1) throw new UsageError("compare --published takes exactly one assessment.", USAGE);
  if (!published && positionals.length !== 2) throw new UsageError("compare takes two assessments (or one with --published).", USAGE);
  if (published && values.crosswalk !== undefined) throw new UsageError("--crosswalk does not apply to --published.", USAGE);
  const extra = values.frameworks === undefined ? [] : [values.frameworks];
  const registry = new Registry(extra);

  const load = (path: string): Promise<Loaded | undefined> => loadAssessment(path, io, "compared", registry);

  let comparison: Comparison;
  let scales: { a: RatingScale; b: RatingScale };
  if (published) {
    const one = await load(positionals[0]!);
    if (!one) return EXIT.invalid;
    if (!one.assessment.published) {
      io.stderr(`${positionals[0]}: the assessment has no "published" block to compare with.\n`);
      return EXIT.invalid;
    }
    const result = score(one.framework, one.scale, one.assessment);
    const a = publishedComparable(one.assessment.published, result, one.scale);
    comparison = compareResults(a, result, { scaleA: one.scale, scaleB: one.scale, labels: { a: "published", b: "computed" } });
    scales = { a: one.scale, b: one.scale };
  } else {
    const a = await load(positionals[0]!);
    const b = await load(positionals[1]!);
    if (!a || !b) return EXIT.invalid;
    let crosswalk: Crosswalk | undefined;
    if (a.framework.id !== b.framework.id) {
      const found = values.crosswalk !== undefined ? { ...loadCrosswalk(values.crosswalk), file: values.crosswalk } : findCrosswalk(a.framework.id, b.framework.id, extra);
      if (!found) {
        io.stderr(
          `${a.framework.id} and ${b.framework.id} are different frameworks and no crosswalk between them was found (framework/crosswalks/${a.framework.id}--${b.framework.id}.json). Give one with --crosswalk <file>.\n`,
        );
        return EXIT.invalid;
      }
      if (!found.value) {
        io.stderr(renderDiagnosticsText(found.diagnostics));
        io.stderr(`The crosswalk ${found.file} is not valid.\n`);
        return EXIT.invalid;
      }
      const c = found.value;
      const pair = [c.from, c.to].sort().join(" ");
      if (pair !== [a.framework.id, b.framework.id].sort().join(" ")) {
        io.stderr(`The crosswalk ${found.file} maps ${c.from} to ${c.to}, not ${a.framework.id} to ${b.framework.id}.\n`);
        return EXIT.invalid;
      }
      const byId = new Map([
        [a.framework.id, a.framework],
        [b.framework.id, b.framework],
      ]);
      const warnings = checkCrosswalk(c, indexFramework(byId.get(c.from)!), indexFramework(byId.get(c.to)!), found.file);
      if (warnings.length > 0) io.stderr(renderDiagnosticsText(warnings));
      crosswalk = c;
    }
    const ra: Comparable = score(a.framework, a.scale, a.assessment);
    const rb: Comparable = score(b.framework, b.scale, b.assessment);
    comparison = compareResults(ra, rb, { scaleA: a.scale, scaleB: b.scale, labels: labels(a.assessment, b.assessment), ...(crosswalk ? { crosswalk } : {}) });
    scales = { a: a.scale, b: b.scale };
  }

  switch (format) {
    case "json":
      io.data(JSON.stringify(comparison, null, 2) + "\n");
      break;
    case "csv":
      io.data(renderCompareCsv(comparison));
      break;
    case "md":
      io.data(renderCompareMarkdown(comparison, scales));
      break;
    case "html":
      io.data(renderCompareHtml(comparison, scales));
      break;
    default:
      io.stdout(renderCompareText(comparison, scales));
  }
  return EXIT.ok;
}

/** Short names for the two sides: "IOM 2023-03"; made distinct when they coincide. */
function labels(a: Assessment, b: Assessment): { a: string; b: string } {
  const name = (x: Assessment) => `${x.organisation.acronym ?? x.organisation.name} ${x.period.to}`;
  const la = name(a);
  const lb = name(b);
  return la === lb ? { a: `${la} (a)`, b: `${lb} (b)` } : { a: la, b: lb };
}
