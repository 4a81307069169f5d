import { terminal } from "../io/output.js";
import { type Terminal, EXIT, HelpRequested, UsageError } from "./command.js";

type Command = (args: string[], io: Terminal) => Promise<number>;

/** What completion needs to know of a command: the CLI's command table passes its entries. */
export interface CompletableCommand {
  readonly summary: string;
  readonly subcommands?: Readonly<Record<string, string>>;
  readonly load: () => Promise<Command>;
}

export interface OptionInfo {
  readonly name: string;
  readonly description: string;
  /** The values it takes, when its help lists them as a|b|c. */
  readonly values: readonly string[];
  /** Takes a value (a file, a folder, a number), as opposed to a switch. */
  readonly takesValue: boolean;
}

export interface CommandInfo {
  readonly name: string;
  readonly summary: string;
  readonly subcommands: readonly { readonly name: string; readonly summary: string }[];
  readonly options: readonly OptionInfo[];
}

const USAGE = `Usage: mopan completion bash|zsh|fish

Prints a shell completion script for mopan: commands, subcommands, options and their values.
  bash  source <(mopan completion bash)        or save it in ~/.local/share/bash-completion/completions/mopan
  zsh   mopan completion zsh > "\${fpath[1]}/_mopan"   (then restart zsh)
  fish  mopan completion fish > ~/.config/fish/completions/mopan.fish
`;

export const SHELLS = ["bash", "zsh", "fish"] as const;

/**
 * Reads every command's options from its own --help text, so completion never drifts from what
 * the commands accept.
 */
export async function describeCommands(commands: Readonly<Record<string, CompletableCommand>>): Promise<CommandInfo[]> {
  const infos: CommandInfo[] = [];
  for (const [name, entry] of Object.entries(commands)) {
    const help = name === "completion" ? "" : await usageOf(await entry.load());
    infos.push({
      name,
      summary: entry.summary,
      subcommands: Object.entries(entry.subcommands ?? {}).map(([sub, summary]) => ({ name: sub, summary })),
      options: optionsOf(help),
    });
  }
  return infos;
}

/** A command's help text: asked for with --help, a command throws `HelpRequested` with it (see `parse`). */
async function usageOf(command: Command): Promise<string> {
  const silent = terminal({ stdout: () => undefined, stderr: () => undefined, stdoutIsTty: false, stderrIsTty: false });
  try {
    await command(["--help"], silent);
  } catch (error) {
    if (error instanceof HelpRequested) return error.usage;
    throw error;
  }
  return "";
}

/** Options named in a help text: usage brackets ([--format a|b]) and described lines ("  --out  file to write"). */
export function optionsOf(help: string): OptionInfo[] {
  const found = new Map<string, { description: string; values: Set<string>; takesValue: boolean }>();
  const entry = (name: string) => {
    let e = found.get(name);
    if (!e) found.set(name, (e = { description: "", values: new Set(), takesValue: false }));
    return e;
  };
  for (const [, name, rest] of help.matchAll(/\[(--[a-z][a-z-]*)([^\]]*)\]/g)) {
    const e = entry(name!);
    const value = rest!.trim();
    if (value !== "") e.takesValue = true;
    if (/^[a-z0-9-]+(\|[a-z0-9-]+)+$/.test(value)) for (const v of value.split("|")) e.values.add(v);
  }
  for (const [, name, description] of help.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)\s{2,}(.+)$/gm)) {
    const e = entry(name!);
    if (e.description === "") e.description = description!.trim();
  }
  if (!found.has("--help")) entry("--help").description = "show the command's options";
  return [...found]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, e]) => ({
      name,
      description: e.description || name.slice(2),
      values: [...e.values],
      takesValue: e.takesValue || e.values.size > 0,
    }));
}

export async function completionCommand(args: string[], io: Terminal, commands: Readonly<Record<string, CompletableCommand>>): Promise<number> {
  const [shell, ...extra] = args;
  if (shell === "--help" || shell === "-h") throw new HelpRequested(USAGE);
  if (shell === undefined || extra.length > 0 || !(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(shell === undefined ? "name a shell: bash, zsh or fish." : `no completion for "${[shell, ...extra].join(" ")}"; shells: bash, zsh, fish.`, USAGE);
  }
  const infos = await describeCommands(commands);
  io.stdout(shell === "bash" ? bashScript(infos) : shell === "zsh" ? zshScript(infos) : fishScript(infos));
  return EXIT.ok;
}

const TOP_OPTIONS = ["--help", "--version"];

export function bashScript(commands: readonly CommandInfo[]): string {
  const lines = [
    "# bash completion for mopan: source <(mopan completion bash)",
    "_mopan() {",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansion in the script's text
    '  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="${COMP_WORDS[1]}"',
    "  COMPREPLY=()",
    '  if [ "$COMP_CWORD" -eq 1 ]; then',
    `    COMPREPLY=( $(compgen -W "${[...commands.map((c) => c.name), ...TOP_OPTIONS].join(" ")}" -- "$cur") )`,
    "    return",
    "  fi",
    '  case "$cmd" in',
  ];
  for (const c of commands) {
    const subs = c.subcommands.map((s) => s.name).join(" ");
    const valued = c.options.filter((o) => o.values.length > 0);
    lines.push(`    ${c.name})`);
    if (subs) lines.push(`      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=( $(compgen -W "${subs}" -- "$cur") ); return; fi`);
    if (valued.length > 0) {
      lines.push('      case "$prev" in');
      for (const o of valued) lines.push(`        ${o.name}) COMPREPLY=( $(compgen -W "${o.values.join(" ")}" -- "$cur") ); return ;;`);
      lines.push("      esac");
    }
    if (c.options.length > 0) lines.push(`      if [[ "$cur" == -* ]]; then COMPREPLY=( $(compgen -W "${c.options.map((o) => o.name).join(" ")}" -- "$cur") ); return; fi`);
    lines.push("      ;;");
  }
  lines.push("  esac", "}", "# Anything else (assessment folders, files) completes as a path.", "complete -o default -o bashdefault -F _mopan mopan", "");
  return lines.join("\n");
}

/** Text inside single quotes for zsh and fish: ' becomes '\'' . Colons are escaped for zsh specs. */
const sq = (text: string) => text.replace(/'/g, `'\\''`);
const zshSpec = (text: string) => sq(text.replace(/[:[\]\\]/g, (c) => `\\${c}`));

export function zshScript(commands: readonly CommandInfo[]): string {
  const lines = [
    "#compdef mopan",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: zsh parameter expansion in the script's text
    '# zsh completion for mopan: mopan completion zsh > "${fpath[1]}/_mopan"',
    "_mopan() {",
    "  local -a commands",
    `  commands=(${commands.map((c) => `'${zshSpec(c.name)}:${zshSpec(c.summary)}'`).join(" ")})`,
    "  if (( CURRENT == 2 )); then",
    "    _describe -t commands 'mopan command' commands",
    `    _arguments '${TOP_OPTIONS.map((o) => sq(o)).join("' '")}'`,
    "    return",
    "  fi",
    "  local cmd=$words[2]",
    "  shift words; (( CURRENT-- ))",
    "  case $cmd in",
  ];
  for (const c of commands) {
    lines.push(`    ${c.name})`);
    if (c.subcommands.length > 0) {
      lines.push(
        "      if (( CURRENT == 2 )); then",
        `        local -a subs; subs=(${c.subcommands.map((s) => `'${zshSpec(s.name)}:${zshSpec(s.summary)}'`).join(" ")})`,
        "        _describe -t subcommands 'subcommand' subs; return",
        "      fi",
      );
    }
    const specs = c.options.map((o) => {
      const value = o.values.length > 0 ? `:${o.name.slice(2)}:(${o.values.join(" ")})` : o.takesValue ? `:${o.name.slice(2)}:_files` : "";
      return `'${o.name}[${zshSpec(o.description)}]${value}'`;
    });
    lines.push(`      _arguments ${[...specs, "'*:file:_files'"].join(" ")}`, "      ;;");
  }
  lines.push("  esac", "}", 'if [ "$funcstack[1]" = "_mopan" ]; then _mopan "$@"; else compdef _mopan mopan; fi', "");
  return lines.join("\n");
}

export function fishScript(commands: readonly CommandInfo[]): string {
  const names = commands.map((c) => c.name).join(" ");
  const lines = [
    "# fish completion for mopan: mopan completion fish > ~/.config/fish/completions/mopan.fish",
    "complete -c mopan -e",
    "complete -c mopan -n '__fish_use_subcommand' -l help -s h -d 'show help'",
    "complete -c mopan -n '__fish_use_subcommand' -l version -d 'print the version'",
  ];
  for (const c of commands) {
    lines.push(`complete -c mopan -n '__fish_use_subcommand' -f -a '${sq(c.name)}' -d '${sq(c.summary)}'`);
    if (c.subcommands.length > 0) {
      const subs = c.subcommands.map((s) => s.name).join(" ");
      for (const s of c.subcommands) {
        lines.push(`complete -c mopan -n '__fish_seen_subcommand_from ${c.name}; and not __fish_seen_subcommand_from ${subs}' -f -a '${sq(s.name)}' -d '${sq(s.summary)}'`);
      }
    }
    for (const o of c.options) {
      const values = o.values.length > 0 ? ` -x -a '${o.values.join(" ")}'` : o.takesValue ? " -r" : "";
      lines.push(`complete -c mopan -n '__fish_seen_subcommand_from ${c.name}' -l ${o.name.slice(2)}${values} -d '${sq(o.description)}'`);
    }
  }
  lines.push(`# commands: ${names}`, "");
  return lines.join("\n");
}
