import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { optionsOf } from "../../src/cli/completion.js";
import { COMMANDS, HELP } from "../../src/cli/run.js";
import { nearest } from "../../src/cli/suggest.js";
import { terminal } from "../../src/io/output.js";
import { requireProgram } from "../programs.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CLI = join(ROOT, "dist/bin/mopan.js");
const ESC = "\u001b[";

/** The environment without the colour switches of whoever runs the tests. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TERM: "xterm-256color", ...extra };
  for (const key of ["NO_COLOR", "FORCE_COLOR"]) if (!(key in extra)) delete env[key];
  return env;
}

const piped = (args: string[], env: NodeJS.ProcessEnv = plainEnv()) => spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: "utf8", env });

/** Runs the CLI on a real pseudo-terminal (util-linux script), as a person at a terminal would. */
function onTerminal(args: string[], env: NodeJS.ProcessEnv = plainEnv()) {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  return spawnSync("script", ["-qec", command, "/dev/null"], { cwd: ROOT, encoding: "utf8", env });
}

describe("help", () => {
  it("lists --version, every command, and every subcommand with a one-line description", () => {
    const run = piped(["--help"]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(HELP);
    expect(HELP).toMatch(/^\s+-V, --version\s+\S/m);
    for (const [name, entry] of Object.entries(COMMANDS)) {
      if (entry.subcommands && !entry.helpName) {
        for (const sub of Object.keys(entry.subcommands)) expect(HELP, `${name} ${sub}`).toMatch(new RegExp(`^  ${name} ${sub}\\s+\\S.+$`, "m"));
      } else {
        expect(HELP, name).toMatch(new RegExp(`^  ${(entry.helpName ?? name).replace(/\|/g, "\\|")}\\s+\\S.+$`, "m"));
      }
    }
    for (const line of ["framework list", "framework show", "framework validate", "export csv", "import csv"]) expect(HELP).toContain(`  ${line} `);
    expect(piped(["--version"]).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it("an unknown command suggests the nearest one and exits 2", () => {
    const run = piped(["scroe", "assessments/iom-2023"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`unknown command "scroe". Did you mean "mopan score"?`);
    expect(piped(["framwork"]).stderr).toContain(`Did you mean "mopan framework"?`);
    expect(piped(["framework", "lst"]).stderr).toContain(`Did you mean "list"?`);
    const far = piped(["xyzzy"]);
    expect(far.status).toBe(2);
    expect(far.stderr).not.toContain("Did you mean");
    expect(nearest("sens", Object.keys(COMMANDS))).toBe("sensitivity");
    expect(nearest("whatif", Object.keys(COMMANDS))).toBe("what-if");
    expect(nearest("q", Object.keys(COMMANDS))).toBeUndefined();
  });

  it("--frameworks that is not a folder is a usage error, for every command that takes it", () => {
    for (const name of ["score", "validate", "report", "compare", "init", "survey", "simulate", "sensitivity", "what-if"]) {
      for (const path of ["no-such-folder", "README.md"]) {
        const run = piped([name, "assessments/iom-2023", "--frameworks", path]);
        expect(run.status, `${name} --frameworks ${path}`).toBe(2);
        expect(run.stderr).toContain(`--frameworks "${path}" is not a folder`);
      }
    }
    expect(piped(["score", "assessments/iom-2023", "--frameworks", "framework"]).status).toBe(0);
  });
});

describe("colour", () => {
  it("piped output has no escape codes; FORCE_COLOR turns them on; NO_COLOR wins", () => {
    const plain = piped(["score", "assessments/iom-2023"]);
    expect(plain.status).toBe(0);
    expect(plain.stdout).not.toContain("\u001b");
    const forced = piped(["score", "assessments/iom-2023"], plainEnv({ FORCE_COLOR: "1" }));
    expect(forced.stdout).toContain(ESC);
    expect(forced.stdout.replace(/\u001b\[\d+m/g, "")).toBe(plain.stdout);
    expect(piped(["score", "assessments/iom-2023"], plainEnv({ FORCE_COLOR: "1", NO_COLOR: "1" })).stdout).not.toContain("\u001b");
  });

  it("on a terminal the ratings and diagnostics are coloured, and NO_COLOR=1 turns that off", () => {
    requireProgram("script", "bsdutils");
    const tty = onTerminal(["score", "assessments/iom-2023"]);
    expect(tty.status).toBe(0);
    expect(tty.stdout).toMatch(/\u001b\[3\dmSatisfactory\s*\u001b\[39m/);
    expect(tty.stdout).toMatch(/\u001b\[3\dmUnsatisfactory\s*\u001b\[39m/);
    const noColour = onTerminal(["score", "assessments/iom-2023"], plainEnv({ NO_COLOR: "1" }));
    expect(noColour.stdout).toContain("Satisfactory");
    expect(noColour.stdout).not.toContain("\u001b");
    const diagnostics = onTerminal(["validate", "tests/fixtures/assessments/broken/invalid-type"]);
    expect(diagnostics.stdout).toMatch(/\u001b\[1m\u001b\[31merror\u001b\[39m\u001b\[22m invalid-type/);
  });
});

describe("colour is painted after escaping", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "mopan-colour-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("control characters from the input stay escaped while the colour codes pass", () => {
    const assessment = JSON.parse(readFileSync(join(ROOT, "assessments/iom-2023/assessment.json"), "utf8"));
    // A title that would set the window title (OSC) and clear the screen (CSI 2J) if printed raw.
    assessment.title = "IOM \u001b]0;owned\u0007\u001b[2J\u001b[31mred";
    delete assessment.$schema;
    const file = join(dir, "hostile.json");
    writeFileSync(file, JSON.stringify(assessment));
    for (const args of [
      ["score", file],
      ["score", file, "--detail"],
    ]) {
      const forced = piped(args, plainEnv({ FORCE_COLOR: "1" }));
      expect(forced.status).toBe(0);
      expect(forced.stdout).toMatch(/\u001b\[3\dmSatisfactory\s*\u001b\[39m/);
      expect(forced.stdout).toContain("IOM \\x1b]0;owned\\x07\\x1b[2J\\x1b[31mred");
      expect(forced.stdout).not.toContain("\u001b]");
      expect(forced.stdout).not.toContain("\u001b[2J");
      // Every escape character left is one of the painter's colour codes.
      expect(forced.stdout.replace(/\u001b\[[0-9;]*m/g, "")).not.toContain("\u001b");
      expect(forced.stdout.replace(/\u001b\[\d+m/g, "")).toBe(piped(args).stdout);
    }
  });

  it("the painted path of the output layer lets colour codes through and escapes everything else", () => {
    const written: string[] = [];
    const io = terminal({ stdout: (t) => void written.push(String(t)), stderr: () => undefined, stdoutIsTty: true, stderrIsTty: true });
    io.painted("stdout", "\u001b[32mok\u001b[39m \u001b]0;t\u0007 \u001b[2J \r");
    expect(written).toEqual(["\u001b[32mok\u001b[39m \\x1b]0;t\\x07 \\x1b[2J \\x0d"]);
  });
});

describe("shell completion", () => {
  let dir = "";
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), "mopan-completion-"))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** The script for a shell, written to a file; its path. */
  const script = (shell: string) => {
    const run = piped(["completion", shell]);
    expect(run.status).toBe(0);
    const file = join(dir, `mopan.${shell}`);
    writeFileSync(file, run.stdout);
    return file;
  };

  it("reads each command's options from its own help", () => {
    const options = optionsOf("Usage: mopan x [--format text|json] [--out <file>] [--strict]\n  --out     file to write\n");
    expect(options).toEqual([
      { name: "--format", description: "format", values: ["text", "json"], takesValue: true },
      { name: "--help", description: "show the command's options", values: [], takesValue: false },
      { name: "--out", description: "file to write", values: [], takesValue: true },
      { name: "--strict", description: "strict", values: [], takesValue: false },
    ]);
    expect(piped(["completion"]).status).toBe(2);
    expect(piped(["completion", "powershell"]).status).toBe(2);
  });

  it("bash completes commands, subcommands, options and option values", () => {
    const complete = (...words: string[]) => {
      const run = spawnSync(
        "bash",
        ["-c", `source '${script("bash")}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _mopan; printf '%s\\n' "\${COMPREPLY[@]}"`],
        { encoding: "utf8" },
      );
      expect(run.stderr).toBe("");
      return run.stdout.trim().split("\n").filter(Boolean);
    };
    expect(complete("mopan", "sc")).toEqual(["score"]);
    expect(complete("mopan", "--v")).toEqual(["--version"]);
    expect(complete("mopan", "framework", "")).toEqual(["list", "show", "validate"]);
    expect(complete("mopan", "validate", "x", "--format", "")).toEqual(["text", "json", "github", "sarif"]);
    expect(complete("mopan", "report", "x", "--p")).toEqual(["--paper"]);
    expect(complete("mopan", "completion", "")).toEqual(["bash", "zsh", "fish"]);
  });

  it("fish completes commands, subcommands and option values", () => {
    requireProgram("fish", "fish");
    const complete = (line: string) => {
      const run = spawnSync("fish", ["-c", `source '${script("fish")}'; complete -C '${line}'`], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      return run.stdout
        .trim()
        .split("\n")
        .map((l) => l.split("\t")[0]);
    };
    expect(complete("mopan sc")).toEqual(["score"]);
    expect(complete("mopan framework ")).toEqual(["list", "show", "validate"]);
    expect(complete("mopan validate --format ")).toEqual(["github", "json", "sarif", "text"]);
    expect(complete("mopan report --pa")).toEqual(["--paper"]);
  });

  it("zsh: the script parses, and dispatches to the right candidates", () => {
    requireProgram("zsh", "zsh");
    const file = script("zsh");
    expect(spawnSync("zsh", ["-n", file]).status).toBe(0);
    // zsh's completion widgets only run inside the line editor: stand-ins print what they are given.
    const probe = (words: string[], current: number) => {
      const run = spawnSync(
        "zsh",
        [
          "-fc",
          `_describe() { print -l -- "\${(@P)\${@[-1]}}" }; _arguments() { print -l -- "$@" }; compdef() { :; }; source '${file}'; words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${current}; _mopan`,
        ],
        { encoding: "utf8" },
      );
      expect(run.stderr).toBe("");
      return run.stdout;
    };
    expect(probe(["mopan", ""], 2)).toMatch(/^score:score an assessment/m);
    expect(probe(["mopan", "framework", ""], 3)).toMatch(/^list:list the known frameworks/m);
    expect(probe(["mopan", "validate", "--format", ""], 4)).toContain("--format[text (default), json, github (workflow annotations) or sarif (SARIF 2.1.0,]:format:(text json github sarif)");
  });
});
