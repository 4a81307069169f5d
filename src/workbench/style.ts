/** CSS of the workbench, after the report's (its colours keep WCAG AA contrast on white). */
export const WORKBENCH_CSS = `
.page { max-width: 1320px; }
.wb-header h1 { font-size: 24px; margin: 0 0 4px; }
.toolbar { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.save-group { display: inline-flex; flex-wrap: wrap; gap: 6px; align-items: center; }
button, .button, select, input, textarea { font: inherit; }
button, .button { display: inline-block; padding: 5px 12px; border: 1px solid #1d4e89; border-radius: 4px; background: #fff; color: #1d4e89; cursor: pointer; }
button:disabled { border-color: #7b8794; color: #52606d; cursor: not-allowed; background: #f5f7fa; }
button[aria-current="true"] { background: #1d4e89; color: #fff; }
button.link { border: 0; padding: 0; background: none; color: #1d4e89; text-decoration: underline; text-align: left; }
:focus-visible, .button:focus-within { outline: 3px solid #b35c00; outline-offset: 2px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
#status { min-height: 1.5em; margin: 4px 0; color: #1f2933; font-weight: 600; }
.kpi-nav { display: flex; flex-wrap: wrap; gap: 6px; margin: 8px 0 16px; }
table.editor td, table.editor th { vertical-align: top; }
table.editor textarea { width: 100%; min-width: 12em; }
table.editor input { width: 100%; min-width: 8em; }
tr.changed > * { background: #fff3c4; }
.changed-tag { display: inline-block; padding: 0 6px; border: 1px solid #8a5a00; border-radius: 3px; color: #5c3c00; font-size: 12px; font-weight: 600; }
ul.diagnostics { padding-left: 1.2em; }
ul.diagnostics li.error b { color: #a61b1b; }
ul.diagnostics li.warning b { color: #8a5a00; }
.simulate { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; }
.simulate input { width: 9em; }
table.sensitivity td, table.simulation td { vertical-align: top; }
figure svg { max-width: 100%; height: auto; }
/* Sections off screen are not laid out until scrolled to: a re-render after an edit lays out only what is seen. */
#workbench > .part { content-visibility: auto; contain-intrinsic-size: auto 800px; }
#workbench > .part[class*="part-edit-"] { contain-intrinsic-size: auto 300px; }
@media (max-width: 700px) { table.editor, table.editor tbody, table.editor tr, table.editor td, table.editor th { display: block; width: 100%; } table.editor thead { display: none; } }
`;
