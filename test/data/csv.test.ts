/** The CSV reader: numbers, headers, column selection, quotes, and errors with line numbers. */
import { it, expect, describe } from 'vitest';
import * as data from '../../lib/data';

describe('readCsv', () => {
  it('parses numbers into a [rows, columns] float32 tensor, skipping empty lines', () => {
    const { data: t, columns } = data.readCsv('1,2,3\n4.5,-6e2, 7 \r\n\n.5,+1,1E-3\n');
    expect(t.shape).toEqual([3, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.toArray()).toEqual([[1, 2, 3], [4.5, -600, 7], [0.5, 1, Math.fround(1e-3)]]);
    expect(columns).toBeNull();
    expect(data.readCsv('nan,inf,-Infinity').data.toArray()).toEqual([[NaN, Infinity, -Infinity]]);
  });

  it('header, column selection by index or name, delimiter, quotes, dtype', () => {
    const text = 'sepal length,"sepal, width",label\n5.1,3.5,0\n4.9,"3.0",1\n';
    const all = data.readCsv(text, { header: true });
    expect(all.columns).toEqual(['sepal length', 'sepal, width', 'label']);
    expect(all.data.toArray()).toEqual([[5.1, 3.5, 0], [4.9, 3, 1]].map((r) => r.map(Math.fround)));
    const y = data.readCsv(text, { header: true, columns: ['label'], dtype: 'int32' });
    expect(y.data.dtype).toBe('int32');
    expect(y.data.toArray()).toEqual([[0], [1]]);
    expect(y.columns).toEqual(['label']);
    const x = data.readCsv(text, { header: true, columns: [1, 0], dtype: 'float64' });
    expect(x.data.toArray()).toEqual([[3.5, 5.1], [3, 4.9]]);
    expect(data.readCsv('1;2\n3;4', { delimiter: ';' }).data.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(data.readCsv('1\t2', { delimiter: '\t' }).data.toArray()).toEqual([[1, 2]]);
    expect(data.readCsv('a,b\n', { header: true }).data.shape).toEqual([0, 2]);
  });

  it('errors name the line and column', () => {
    expect(() => data.readCsv('1,2,3\n4,5\n')).toThrow('readCsv: line 2 has 2 fields, expected 3 like line 1');
    expect(() => data.readCsv('x,y\n1,2\n\n3,oops\n', { header: true })).toThrow('readCsv: line 4, column 2 ("y"): "oops" is not a number');
    expect(() => data.readCsv('1,,3')).toThrow('readCsv: line 1, column 2: "" is not a number');
    expect(() => data.readCsv('0x10')).toThrow(/"0x10" is not a number/);
    expect(() => data.readCsv('1.5', { dtype: 'int32' })).toThrow(/line 1, column 1: 1.5 is not an int32 integer/);
    expect(() => data.readCsv('"1,2')).toThrow('readCsv: line 1 has an unterminated quoted field');
    expect(() => data.readCsv('\n \n')).toThrow(/no data/);
    expect(() => data.readCsv('1,2', { columns: [2] })).toThrow(/column index 2 is out of range for 2 columns/);
    expect(() => data.readCsv('1,2', { columns: ['a'] })).toThrow(/no header/);
    expect(() => data.readCsv('a,b\n1,2', { header: true, columns: ['c'] })).toThrow(/no column named "c"/);
    expect(() => data.readCsv('1,2', { delimiter: '::' })).toThrow(/single character/);
    expect(() => data.readCsv(42 as unknown as string)).toThrow(TypeError);
  });
});
