// Open workbooks with ExcelJS and SheetJS, as Node tools do; print what each reader saw as JSON.
// Usage: node read.js SPEC.json   where SPEC is {"path": [["Sheet", "A1"], ...], ...}
'use strict';
const fs = require('fs');
const ExcelJS = require('exceljs');
const XLSX = require('xlsx');

async function withExcelJS(path, cells) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const values = {};
  for (const [sheet, ref] of cells) {
    const cell = wb.getWorksheet(sheet).getCell(ref);
    // a formula's cached result (cell.value drops a result of 0, so ask the cell for it)
    const v = cell.type === ExcelJS.ValueType.Formula ? cell.result : cell.value;
    values[`${sheet}!${ref}`] = v === undefined ? null : v;
  }
  return {sheets: wb.worksheets.map(w => w.name), values};
}

function withSheetJS(path, cells) {
  const wb = XLSX.readFile(path);
  const values = {};
  for (const [sheet, ref] of cells) {
    const cell = wb.Sheets[sheet][ref];
    values[`${sheet}!${ref}`] = cell === undefined ? null : cell.v;
  }
  return {sheets: wb.SheetNames, values};
}

(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const out = {};
  for (const [path, cells] of Object.entries(spec)) {
    out[path] = {};
    for (const [name, read] of [['exceljs', withExcelJS], ['sheetjs', withSheetJS]]) {
      try {
        out[path][name] = {ok: true, ...(await read(path, cells))};
      } catch (e) {
        out[path][name] = {ok: false, error: String(e && e.stack || e).split('\n').slice(0, 3).join(' | ')};
      }
    }
  }
  process.stdout.write(JSON.stringify(out));
})();
