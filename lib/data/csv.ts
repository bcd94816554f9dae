/**
 * A small CSV reader for numeric tables (bring-your-own data sets): fields
 * separated by a delimiter, optional header line, double-quoted fields with
 * "" escapes. Every value must be a number; errors name the line and column.
 */
import { Tensor } from '../tensor';
import { checkDType, type DType } from '../dtype';
import { allocate } from '../storage/allocate';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of readCsv. */
export interface ReadCsvOptions {
  /** The first non-empty line holds column names (default false). */
  header?: boolean;
  /** The columns to keep, in this order: indices (0-based) or, with a header, names. Default: all. */
  columns?: readonly (number | string)[];
  /** Field separator (default ','). */
  delimiter?: string;
  /** dtype of the tensor (default float32; int32 requires integer values). */
  dtype?: DType;
}

/** What readCsv returns. */
export interface CsvTable {
  /** The values, [rows, columns]. */
  data: Tensor;
  /** Names of the kept columns, or null without a header. */
  columns: string[] | null;
}

const READ_CSV = defineOptions<ReadCsvOptions>('readCsv', { header: true, columns: true, delimiter: true, dtype: true });

/**
 * Parses numeric CSV text into a [rows, columns] tensor. Empty lines are
 * skipped; a row with a different number of fields, or a field that is not a
 * number, is an error naming its line.
 *
 *   const { data, columns } = readCsv(fs.readFileSync('iris.csv', 'utf8'), { header: true, columns: [0, 1, 2, 3] });
 *
 * @param text the CSV text
 * @param options `header`, `columns`, `delimiter`, `dtype`
 * @returns the table: a tensor and the column names
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): CsvTable {
  rejectUnknownOptions(options, READ_CSV);
  if (typeof text !== 'string') throw new TypeError('readCsv: text must be a string (read the file with fs.readFileSync(path, "utf8"))');
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new TypeError(`readCsv: delimiter must be a single character other than a quote or newline, got ${JSON.stringify(delimiter)}`);
  }
  const dtype = checkDType(options.dtype ?? 'float32', 'readCsv');
  const lines = text.split(/\r?\n/);
  let names: string[] | null = null;
  let width = -1;
  let widthLine = 0;
  const rows: { line: number; fields: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const fields = splitLine(lines[i], delimiter, i + 1);
    if (width === -1) {
      width = fields.length;
      widthLine = i + 1;
    } else if (fields.length !== width) {
      throw new RangeError(`readCsv: line ${i + 1} has ${fields.length} fields, expected ${width} like line ${widthLine}`);
    }
    if (options.header && names === null) names = fields.map((f) => f.trim());
    else rows.push({ line: i + 1, fields });
  }
  if (width === -1) throw new RangeError('readCsv: no data: the text has no non-empty lines');
  const keep = selectColumns(options.columns, names, width);
  const out = allocate(dtype, rows.length * keep.length);
  rows.forEach(({ line, fields }, r) => {
    keep.forEach((c, j) => {
      const v = parseNumber(fields[c]);
      if (v === null) {
        const label = names !== null ? ` (${JSON.stringify(names[c])})` : '';
        throw new TypeError(`readCsv: line ${line}, column ${c + 1}${label}: ${JSON.stringify(fields[c])} is not a number`);
      }
      if (dtype === 'int32' && !(Number.isInteger(v) && Math.abs(v) <= 2 ** 31 - 1)) {
        throw new TypeError(`readCsv: line ${line}, column ${c + 1}: ${fields[c]} is not an int32 integer (dtype int32)`);
      }
      out[r * keep.length + j] = v;
    });
  });
  return { data: new Tensor(out, [rows.length, keep.length]), columns: names === null ? null : keep.map((c) => (names as string[])[c]) };
}

function selectColumns(columns: readonly (number | string)[] | undefined, names: string[] | null, width: number): number[] {
  if (columns === undefined) return Array.from({ length: width }, (_, i) => i);
  if (!Array.isArray(columns) || columns.length === 0) throw new TypeError('readCsv: columns must be a non-empty array of column indices or names');
  return columns.map((c) => {
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= width) throw new RangeError(`readCsv: column index ${c} is out of range for ${width} columns`);
      return c;
    }
    if (names === null) throw new TypeError(`readCsv: column ${JSON.stringify(c)} given by name, but there is no header (pass { header: true })`);
    const i = names.indexOf(c);
    if (i < 0) throw new RangeError(`readCsv: no column named ${JSON.stringify(c)}; the header has ${names.map((n) => JSON.stringify(n)).join(', ')}`);
    return i;
  });
}

/** Splits one line into fields, honouring double quotes ("a,b" and "" escapes). */
function splitLine(line: string, delimiter: string, lineNo: number): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { field += '"'; i++; }
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else {
      field += ch;
    }
  }
  if (quoted) throw new TypeError(`readCsv: line ${lineNo} has an unterminated quoted field`);
  fields.push(field);
  return fields;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number, or NaN / ±Infinity as written by NumPy and pandas; null otherwise (so '' and '0x1F' are errors, not 0 and 31). */
function parseNumber(field: string): number | null {
  const s = field.trim();
  if (NUMBER.test(s)) return Number(s);
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return null;
}
