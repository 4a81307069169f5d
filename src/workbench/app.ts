import type { Assessment } from "../assessment/schema.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { anchorId, html } from "../report/escape.js";
import { type EmbeddedFrameworks, MemoryCatalog, WORKBOOK_LIBRARY_ID } from "./catalog.js";
import { type GivenFile, type Opened, addFrameworkFile, givenWorkbook, openAssessment, openWorkbook } from "./open.js";
import { type Download, assessmentJson, csvTables, htmlReport, workbook } from "./save.js";
import { type Edit, Session } from "./session.js";
import { type ViewState, controlId, diagnosticsList, evidenceIds, renderSession } from "./view.js";
import type { LoadedWorkbook } from "../io/workbook/read.js";
import type { WorkbookInput } from "../io/workbook/write.js";
import type { WorkbookMessage, WorkbookRequest, WorkerMessage, WorkerRequest } from "./worker.js";

const TOOLBAR = html`<header class="wb-header">
<h1>mopan workbench</h1>
<p class="small">Open an assessment: a folder (assessment.json with scores.csv and evidence.csv), one assessment JSON file, or an assessment workbook (.xlsx). You can also drop it anywhere on this page. Nothing leaves this page.</p>
<div class="toolbar" role="toolbar" aria-label="Workbench">
<label class="button">Open folder…<input type="file" id="open-folder" webkitdirectory multiple class="visually-hidden"></label>
<label class="button">Open file(s)…<input type="file" id="open-files" multiple accept=".json,.csv,.xlsx,.xlsm" class="visually-hidden"></label>
<label class="button">Add framework or rating scale…<input type="file" id="add-framework" accept=".json" class="visually-hidden"></label>
<button type="button" id="undo" disabled aria-keyshortcuts="Control+Z">Undo</button>
<button type="button" id="redo" disabled aria-keyshortcuts="Control+Y">Redo</button>
<span class="save-group" role="group" aria-label="Save">Save:
<button type="button" id="save-json" disabled>JSON</button>
<button type="button" id="save-scores" disabled>scores.csv</button>
<button type="button" id="save-evidence" disabled>evidence.csv</button>
<button type="button" id="save-metadata" disabled>assessment.json (for the CSV tables)</button>
<button type="button" id="save-xlsx" disabled>workbook (.xlsx)</button>
<button type="button" id="save-report" disabled>HTML report</button>
</span>
</div>
<p id="status" role="status" aria-live="polite"></p>
</header>
<main id="workbench" tabindex="-1"></main>`;

const NO_SIMULATION = { seed: 1, draws: 10_000, running: false, done: 0, total: 0 } as const;

/** How long after an edit the sensitivity analysis starts (edits within it share one analysis). */
const SENSITIVITY_DELAY_MS = 250;

/** The workbench page: opening, showing, editing, exploring and saving, driven by the engine's functions. */
export class App {
  readonly #root: HTMLElement;
  readonly #catalog: MemoryCatalog;
  readonly #embedded: EmbeddedFrameworks;
  readonly #workerSource: string;
  #workerUrl: string | undefined;
  /** The markup each part of the page shows now. */
  readonly #shown = new Map<string, string>();
  #session: Session | undefined;
  #state: ViewState = { file: "", diagnostics: [], kpi: "", simulation: NO_SIMULATION };
  #simulation: Worker | undefined;
  #sensitivity: Worker | undefined;
  /** The assessment the pending sensitivity request was made for: a later answer for another version is dropped. */
  #sensitivityFor: Assessment | undefined;
  #sensitivityTimer: ReturnType<typeof setTimeout> | undefined;
  /** Started at the first workbook opened or saved, with the workbook library; kept for the next. */
  #workbookWorker: Worker | undefined;
  /** Workbook tasks run one at a time: each waits for the one before it. */
  #workbookQueue: Promise<unknown> = Promise.resolve();

  constructor(root: HTMLElement, embedded: EmbeddedFrameworks, workerSource: string) {
    this.#root = root;
    this.#embedded = embedded;
    this.#catalog = new MemoryCatalog(embedded);
    this.#workerSource = workerSource;
    root.innerHTML = TOOLBAR.value;
    this.#listen();
  }

  get #main(): HTMLElement {
    return this.#root.querySelector<HTMLElement>("#workbench")!;
  }

  status(message: string): void {
    this.#root.querySelector("#status")!.textContent = message;
  }

  /** Opens files as one assessment (a folder's files, one JSON file, or one workbook). */
  async open(files: readonly GivenFile[]): Promise<void> {
    if (files.length === 0) return;
    const book = givenWorkbook(files);
    if (book) this.status(`Opening ${book.name}…`);
    let opened: Opened;
    try {
      opened = book ? await openWorkbook(book, this.#catalog, (file) => this.#loadWorkbook(file)) : openAssessment(files, this.#catalog);
    } catch (error) {
      opened = {
        file: book?.name ?? files[0]!.name,
        diagnostics: [{ code: "invalid-workbook", severity: "error", message: `The workbook could not be read: ${error instanceof Error ? error.message : String(error)}` }],
      };
    }
    this.#cancelSimulation();
    if (!opened.assessment || !opened.framework || !opened.scale || opened.diagnostics.some((d) => d.severity === "error")) {
      this.#session = undefined;
      delete this.#main.dataset["parts"];
      this.#main.innerHTML =
        html`<section aria-labelledby="h-open"><h2 id="h-open">Not opened</h2><p>${opened.file} could not be opened as an assessment.</p></section>${diagnosticsList(opened.diagnostics)}`.value;
      this.status(`${opened.file}: not opened; see the problems listed.`);
      this.#updateButtons();
      return;
    }
    this.#session = new Session(opened.framework, opened.scale, opened.assessment, this.#catalog.ratingScales());
    this.#state = { file: opened.file, diagnostics: opened.diagnostics, kpi: this.#session.result.kpis[0]?.id ?? "", simulation: NO_SIMULATION };
    this.render();
    this.status(`Opened ${opened.file}: ${opened.assessment.judgements.length} judgements, ${opened.assessment.evidence.length} evidence entries.`);
  }

  /** Re-renders everything shown from the session; keyboard focus stays on the control that had it. */
  render(): void {
    const session = this.#session;
    if (!session) return;
    const focused = document.activeElement?.id;
    const main = this.#main;
    const parts = renderSession(session, this.#state);
    if (main.dataset["parts"] !== parts.map(([key]) => key).join()) {
      main.replaceChildren(...parts.map(([key]) => Object.assign(document.createElement("div"), { className: `part part-${key}` })));
      main.dataset["parts"] = parts.map(([key]) => key).join();
      this.#shown.clear();
    }
    parts.forEach(([key, markup], i) => {
      if (this.#shown.get(key) === markup.value) return;
      main.children[i]!.innerHTML = markup.value;
      this.#shown.set(key, markup.value);
    });
    if (focused && document.activeElement?.id !== focused) document.getElementById(focused)?.focus();
    this.#updateButtons();
    this.#requestSensitivity(session);
  }

  edit(edit: Edit): void {
    const session = this.#session;
    if (!session) return;
    const refused = session.apply(edit);
    if (refused.length > 0) {
      this.status(refused.map((d) => d.message).join(" "));
      return;
    }
    this.#afterChange(`${edit.id}: ${edit.kind} changed.`);
  }

  #afterChange(message: string): void {
    const session = this.#session!;
    // A simulation (running or done) is of the version before the change.
    this.#cancelSimulation();
    const { seed, draws } = this.#state.simulation;
    this.#state = { ...this.#state, diagnostics: session.check(this.#state.file), sensitivity: undefined, simulation: { ...NO_SIMULATION, seed, draws } };
    this.render();
    this.status(message);
  }

  #updateButtons(): void {
    const has = this.#session !== undefined;
    for (const id of ["save-json", "save-scores", "save-evidence", "save-metadata", "save-xlsx", "save-report"]) this.#button(id).disabled = !has;
    this.#button("undo").disabled = !this.#session?.canUndo;
    this.#button("redo").disabled = !this.#session?.canRedo;
  }

  #button(id: string): HTMLButtonElement {
    return this.#root.querySelector<HTMLButtonElement>(`#${id}`)!;
  }

  #undoRedo(which: "undo" | "redo"): void {
    const session = this.#session;
    if (!session || !(which === "undo" ? session.canUndo : session.canRedo)) return;
    session[which]();
    this.#afterChange(which === "undo" ? "Undone." : "Redone.");
  }

  /** Shows an item (element, MI, KPI or evidence's first element) and moves focus to it. */
  goTo(id: string): void {
    const session = this.#session;
    if (!session) return;
    const { index } = session;
    const mi = index.elements.get(id)?.mi ?? (index.mis.has(id) ? id : undefined);
    const kpi = mi !== undefined ? index.mis.get(mi)?.kpi : index.kpis.has(id) ? id : undefined;
    if (kpi === undefined) return;
    this.#state = { ...this.#state, kpi };
    this.render();
    const target = document.getElementById(index.elements.has(id) || index.mis.get(id)?.scoring === "rubric" ? controlId("score", id) : mi !== undefined ? anchorId("mi", mi) : "h-edit");
    target?.setAttribute("tabindex", target.tabIndex >= 0 ? String(target.tabIndex) : "-1");
    target?.scrollIntoView({ block: "center" });
    target?.focus();
  }

  /** The item a diagnostic is about, from its JSON pointer into the assessment. */
  #diagnosticItem(d: Diagnostic): string | undefined {
    const session = this.#session;
    if (!session) return undefined;
    const { index } = session;
    const named = typeof d.received === "string" ? d.received.split(/[,;]\s*/).find((id) => index.elements.has(id) || index.mis.has(id) || index.kpis.has(id)) : undefined;
    return this.#pointedItem(d) ?? named;
  }

  #pointedItem(d: Diagnostic): string | undefined {
    const session = this.#session;
    if (!session || d.pointer === undefined) return undefined;
    const [, list, index, field, key] = d.pointer.split("/");
    const a = session.assessment;
    if (list === "judgements" && index !== undefined) return a.judgements[Number(index)]?.id;
    if (list === "evidence" && index !== undefined) {
      const ev = a.evidence[Number(index)];
      if ((field === "elements" || field === "suggestedScores") && key !== undefined) return field === "elements" ? ev?.elements[Number(key)] : key;
      return ev?.elements[0];
    }
    if (list === "statedConfidence" || list === "published") return (list === "published" ? field : index)?.replaceAll("~1", "/").replaceAll("~0", "~");
    return undefined;
  }

  #download(file: Download): void {
    const url = URL.createObjectURL(new Blob([file.data as BlobPart], { type: file.type }));
    const a = document.createElement("a");
    a.href = url;
    a.download = file.name;
    a.rel = "noopener";
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    this.status(`Saved ${file.name}.`);
  }

  #save(what: string): void {
    const session = this.#session;
    if (!session) return;
    const parts = this.#state.file.split("/");
    const stem = (parts.at(-2) ?? parts[0]!.replace(/\.(json|xlsx|xlsm)$/i, "")).replace(/[^A-Za-z0-9._-]/g, "-") || "assessment";
    if (what === "save-json") this.#download(assessmentJson(session, `${stem}.json`));
    if (what === "save-report") this.#download(htmlReport(session, `${stem}-report.html`));
    if (what === "save-xlsx") void this.#saveWorkbook(session, `${stem}.xlsx`);
    const tables = csvTables(session);
    if (what === "save-scores") this.#download(tables[0]!);
    if (what === "save-evidence") this.#download(tables[1]!);
    if (what === "save-metadata") this.#download(tables[2]!);
  }

  async #saveWorkbook(session: Session, name: string): Promise<void> {
    this.status(`Writing ${name}…`);
    try {
      const written = await workbook(session, name, (input) => this.#writeWorkbook(input));
      if (written.download) this.#download(written.download);
      else this.status(`${name} is not saved: ${written.problems.map((d) => `${d.pointer ?? ""} ${d.message}`.trim()).join(" ")}`);
    } catch (error) {
      this.status(`${name} is not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async #loadWorkbook(file: GivenFile): Promise<LoadedWorkbook> {
    const answer = await this.#workbookTask({ type: "load-workbook", bytes: file.bytes, name: file.name });
    if (answer.type !== "workbook-loaded") throw new Error(answer.type === "failed" ? answer.message : "the workbook worker gave no sheets");
    return answer.loaded;
  }

  async #writeWorkbook(input: WorkbookInput): Promise<Uint8Array> {
    const answer = await this.#workbookTask({ type: "write-workbook", input });
    if (answer.type !== "workbook-written") throw new Error(answer.type === "failed" ? answer.message : "the workbook worker wrote nothing");
    return answer.bytes;
  }

  /**
   * Runs a workbook task in the workbook worker: the page's own script with the workbook library
   * (embedded as inert text) ahead of it, so the library is evaluated only there and only once a
   * workbook is opened or saved.
   */
  #workbookTask(request: WorkbookRequest): Promise<WorkbookMessage> {
    const run = (): Promise<WorkbookMessage> => {
      if (!this.#workbookWorker) {
        const library = JSON.parse(document.getElementById(WORKBOOK_LIBRARY_ID)?.textContent ?? '""') as string;
        this.#workbookWorker = new Worker(URL.createObjectURL(new Blob([library, "\n;\n", this.#workerSource], { type: "text/javascript" })));
      }
      const worker = this.#workbookWorker;
      return new Promise((resolve) => {
        worker.onmessage = (event: MessageEvent<WorkbookMessage>) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          resolve({ type: "failed", message: event.message || "the browser refused the workbook worker" });
        };
        worker.postMessage(request);
      });
    };
    const task = this.#workbookQueue.then(run, run);
    this.#workbookQueue = task;
    return task;
  }

  #worker(onMessage: (message: WorkerMessage) => void): Worker {
    // One URL for the page's lifetime: a worker loads its script after the constructor returns.
    this.#workerUrl ??= URL.createObjectURL(new Blob([this.#workerSource], { type: "text/javascript" }));
    const worker = new Worker(this.#workerUrl);
    worker.onmessage = (event: MessageEvent<WorkerMessage>) => onMessage(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      onMessage({ type: "failed", message: `The background analysis could not run: ${event.message || "the browser refused the worker"}.` });
    };
    return worker;
  }

  /**
   * Asks the sensitivity worker for the current version, a moment after the last edit (so a burst
   * of edits costs one analysis). The worker is kept; an answer for an older version is dropped.
   */
  #requestSensitivity(session: Session): void {
    if (this.#state.sensitivity || this.#sensitivityFor === session.assessment) return;
    this.#sensitivityFor = session.assessment;
    clearTimeout(this.#sensitivityTimer);
    this.#sensitivityTimer = setTimeout(() => {
      this.#sensitivity ??= this.#worker((message) => {
        const current = this.#session;
        if (message.type === "failed") {
          this.status(message.message);
          return;
        }
        if (message.type !== "sensitivity" || !current || message.result.parameters.assessmentHash !== current.result.provenance.assessmentHash) return;
        this.#state = { ...this.#state, sensitivity: message.result };
        this.render();
      });
      const request: WorkerRequest = { type: "sensitivity", framework: session.framework, scale: session.scale, assessment: session.assessment, scales: session.scales };
      this.#sensitivity.postMessage(request);
    }, SENSITIVITY_DELAY_MS);
  }

  #runSimulation(seed: number, draws: number): void {
    const session = this.#session;
    if (!session) return;
    this.#cancelSimulation();
    const worker = this.#worker((message) => {
      if (message.type === "progress") {
        this.#state = { ...this.#state, simulation: { ...this.#state.simulation, done: message.done, total: message.total } };
        const bar = document.getElementById("sim-progress") as HTMLProgressElement | null;
        if (bar) {
          bar.max = message.total;
          bar.value = message.done;
        }
        const text = document.getElementById("sim-status");
        if (text) text.textContent = `${message.done} of ${message.total} draws`;
      } else if (message.type === "simulated" || message.type === "failed") {
        worker.terminate();
        this.#simulation = undefined;
        this.#state = {
          ...this.#state,
          simulation:
            message.type === "simulated"
              ? { seed, draws, running: false, done: draws, total: draws, result: message.result }
              : { seed, draws, running: false, done: 0, total: draws, error: message.message },
        };
        this.render();
        this.status(message.type === "simulated" ? `Simulation done: ${draws} draws, seed ${seed}.` : message.message);
      }
    });
    this.#simulation = worker;
    this.#state = { ...this.#state, simulation: { seed, draws, running: true, done: 0, total: draws } };
    this.render();
    const request: WorkerRequest = { type: "simulate", framework: session.framework, scale: session.scale, assessment: session.assessment, uncertainty: this.#embedded.uncertainty, draws, seed };
    worker.postMessage(request);
    this.status(`Simulating ${draws} draws with seed ${seed}…`);
  }

  #cancelSimulation(): boolean {
    if (!this.#simulation) return false;
    this.#simulation.terminate();
    this.#simulation = undefined;
    this.#state = { ...this.#state, simulation: { ...this.#state.simulation, running: false, done: 0, total: 0, error: "Cancelled." } };
    return true;
  }

  #listen(): void {
    const root = this.#root;
    // The input is emptied once read, so choosing the same file again opens it again.
    const filesOf = async (input: HTMLInputElement): Promise<GivenFile[]> => {
      const files = await Promise.all([...(input.files ?? [])].map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
      input.value = "";
      return files;
    };
    root.querySelector("#open-folder")!.addEventListener("change", async (e) => void this.open(await filesOf(e.target as HTMLInputElement)));
    root.querySelector("#open-files")!.addEventListener("change", async (e) => void this.open(await filesOf(e.target as HTMLInputElement)));
    root.querySelector("#add-framework")!.addEventListener("change", async (e) => {
      const [file] = await filesOf(e.target as HTMLInputElement);
      if (!file) return;
      const added = addFrameworkFile(file, this.#catalog);
      const errors = added.diagnostics.filter((d) => d.severity === "error");
      this.status(errors.length > 0 ? `${file.name}: ${errors.map((d) => d.message).join(" ")}` : (added.message ?? ""));
    });
    root.addEventListener("click", (e) => {
      const target = e.target as HTMLElement;
      const button = target.closest<HTMLElement>("button, a[href^='#kpi-']");
      if (!button) return;
      if (button.id === "undo" || button.id === "redo") this.#undoRedo(button.id);
      else if (button.id.startsWith("save-")) this.#save(button.id);
      else if (button.id === "sim-cancel") {
        if (this.#cancelSimulation()) {
          this.render();
          this.status("Simulation cancelled.");
        }
      } else if (button.dataset["kpi"] !== undefined) this.goTo(button.dataset["kpi"]);
      else if (button.dataset["diagnostic"] !== undefined) {
        const d = this.#state.diagnostics[Number(button.dataset["diagnostic"])];
        const id = d && this.#diagnosticItem(d);
        if (id !== undefined) this.goTo(id);
        else this.status("This problem is not about one item of the assessment.");
      } else if (button instanceof HTMLAnchorElement) {
        const kpi = this.#session?.result.kpis.find((k) => `#${anchorId("kpi", k.id)}` === button.getAttribute("href"));
        if (kpi) {
          e.preventDefault();
          this.goTo(kpi.id);
        }
      }
    });
    root.addEventListener("change", (e) => {
      const control = e.target as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      const kind = control.dataset["edit"];
      const id = control.dataset["id"];
      if (id === undefined) return;
      if (kind === "score" && control.value !== "") this.edit({ kind, id, value: control.value });
      if (kind === "rationale") this.edit({ kind, id, value: control.value });
      if (kind === "evidence") this.edit({ kind, id, value: evidenceIds(control.value) });
    });
    root.addEventListener("submit", (e) => {
      const form = e.target as HTMLFormElement;
      if (form.id !== "simulate") return;
      e.preventDefault();
      const seed = Number((form.elements.namedItem("seed") as HTMLInputElement).value);
      const draws = Number((form.elements.namedItem("draws") as HTMLInputElement).value);
      if (!Number.isInteger(seed) || seed < 1 || seed > 0xffff_ffff || !Number.isInteger(draws) || draws < 1 || draws > 1_000_000) {
        this.status("The seed must be a whole number from 1 to 4294967295, and the draws from 1 to 1000000.");
        return;
      }
      this.#runSimulation(seed, draws);
    });
    document.addEventListener("keydown", (e) => {
      const inText = (e.target as HTMLElement).matches?.("input, textarea");
      if (!(e.ctrlKey || e.metaKey) || inText) return;
      const key = e.key.toLowerCase();
      if (key === "z" && !e.shiftKey) this.#undoRedo("undo");
      else if (key === "y" || (key === "z" && e.shiftKey)) this.#undoRedo("redo");
      else return;
      e.preventDefault();
    });
    document.addEventListener("dragover", (e) => e.preventDefault());
    document.addEventListener("drop", async (e) => {
      e.preventDefault();
      const files = await droppedFiles(e.dataTransfer);
      void this.open(files);
    });
  }
}

/** Files dropped on the page; a dropped folder gives its files, named by their path inside it. */
async function droppedFiles(data: DataTransfer | null): Promise<GivenFile[]> {
  if (!data) return [];
  const entries = [...data.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  const out: GivenFile[] = [];
  // Files without entries (dropped by a page or a test, not from the file system) come as plain files.
  if (entries.length === 0) {
    for (const file of data.files) out.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    return out;
  }
  const fileOf = (entry: FileSystemFileEntry) => new Promise<File>((resolve, reject) => entry.file(resolve, reject));
  const children = (dir: FileSystemDirectoryEntry) =>
    new Promise<FileSystemEntry[]>((resolve, reject) => {
      const reader = dir.createReader();
      const all: FileSystemEntry[] = [];
      const next = (): void =>
        reader.readEntries((batch) => {
          if (batch.length === 0) resolve(all);
          else {
            all.push(...batch);
            next();
          }
        }, reject);
      next();
    });
  for (const entry of entries) {
    if (entry.isFile) {
      const file = await fileOf(entry as FileSystemFileEntry);
      out.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
    } else if (entry.isDirectory) {
      for (const child of await children(entry as FileSystemDirectoryEntry)) {
        if (!child.isFile) continue;
        const file = await fileOf(child as FileSystemFileEntry);
        out.push({ name: `${entry.name}/${file.name}`, bytes: new Uint8Array(await file.arrayBuffer()) });
      }
    }
  }
  return out;
}
