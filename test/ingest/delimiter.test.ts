import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHeaderRow } from '../../data-loaders/source-file.ts';

/** The delimiter and header of an export, as the import plan reads them (Papa Parse's guess). */
function headerOf(bytes: string | Buffer) {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'pastoral-delim-')), 'export.csv');
  writeFileSync(file, bytes);
  return readHeaderRow(file);
}

describe('delimiter: guessed from the first rows, quotes respected', () => {
  it.each([
    ['comma', 'student_id,first_name,year_group\nP1,Zoë,9\n', ',', ['student_id', 'first_name', 'year_group']],
    ['semicolon (a European Excel export)', 'student_id;first_name;year_group\r\nP1;Zoë;9\r\n', ';', ['student_id', 'first_name', 'year_group']],
    ['tab', 'student_id\tfirst_name\tyear_group\nP1\tZoë\t9\n', '\t', ['student_id', 'first_name', 'year_group']],
    // More commas than tabs in the rows, but only tabs split every row into the same number of fields.
    ['tab, with commas in the comments', 'event_id\tcomment\nB1\tlate, again, and rude\nB2\tok\n', '\t', ['event_id', 'comment']],
    // A quoted header cell holding the other delimiter does not count.
    ['semicolon, with a comma inside a quoted header', 'id;"Surname, Forename";year\n1;"Lovelace, Ada";9\n', ';', ['id', 'Surname, Forename', 'year']],
    ['a byte-order mark and CRLF', '\uFEFFstudent_id,first_name\r\nP1,Ada\r\n', ',', ['student_id', 'first_name']],
    ['a quoted line break in the first row', 'event_id,comment\nB1,"two\nlines"\nB2,ok\n', ',', ['event_id', 'comment']],
    ['one column only (comma, as before)', 'student_id\nP1\n', ',', ['student_id']],
    ['header only, spaces trimmed', ' student_id ; first_name \n', ';', ['student_id', 'first_name']],
  ])('%s', (_, text, delimiter, headers) => {
    expect(headerOf(text)).toEqual({ delimiter, headers });
  });

  it('a Windows-1252 header is decoded before it is split', () => {
    expect(headerOf(Buffer.from('Prénom;Année\nZoë;9\n', 'latin1'))).toEqual({ delimiter: ';', headers: ['Prénom', 'Année'] });
  });
});
