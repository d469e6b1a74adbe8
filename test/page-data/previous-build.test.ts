import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStamp, previousPartFile, recordedStamps } from '../../src/page-data/previous-build.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const NAME = 'b07.0123456789ab.arrow';

describe('previousPartFile: a previous build\'s part, checked by its bytes or by its stamp', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pastoral-previous-part-'));
    file = path.join(dir, NAME);
    writeFileSync(file, 'the bytes');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with no stamp, reads the file and takes it when its SHA-256 is the recorded one, stamped with its size and time', async () => {
    const stats = statSync(file, { bigint: true });
    expect(await previousPartFile(dir, { file: NAME, sha256: sha('the bytes') })).toEqual({ path: file, bytes: 9, sha256: sha('the bytes'), stamp: `9:${stats.mtimeNs}` });
    expect(fileStamp(file)).toBe(`9:${stats.mtimeNs}`);
    expect(await previousPartFile(dir, { file: NAME, sha256: sha('other bytes') })).toBeNull();
  });

  it('with the stamp it has now, takes the file with no read: bytes changed in place, size and time kept, are not caught', async () => {
    // The trade-off, as git's index and make make it: the file's size and time stand for its bytes.
    const stamp = fileStamp(file);
    expect(await previousPartFile(dir, { file: NAME, sha256: sha('the other') }, stamp)).toEqual({ path: file, bytes: 9, sha256: sha('the other'), stamp });
  });

  it('with a stamp it no longer has (bytes written since, a copied site), reads the file again and checks its bytes', async () => {
    const old = fileStamp(file);
    await new Promise((resolve) => setTimeout(resolve, 20)); // past the clock's tick: the write gets a new time
    writeFileSync(file, 'the bytez');
    const now = fileStamp(file);
    expect(now).not.toBe(old);
    expect(await previousPartFile(dir, { file: NAME, sha256: sha('the bytes') }, old)).toBeNull();
    expect(await previousPartFile(dir, { file: NAME, sha256: sha('the bytez') }, old)).toEqual({ path: file, bytes: 9, sha256: sha('the bytez'), stamp: now });
  });

  it('takes nothing that is missing, not a file, or not named as a part', async () => {
    const stamp = fileStamp(file);
    expect(await previousPartFile(dir, { file: 'b08.0123456789ab.arrow', sha256: sha('the bytes') }, stamp)).toBeNull();
    mkdirSync(path.join(dir, 'b09.0123456789ab.arrow'));
    expect(await previousPartFile(dir, { file: 'b09.0123456789ab.arrow', sha256: sha('the bytes') })).toBeNull();
    writeFileSync(path.join(dir, 'b07.arrow'), 'the bytes');
    expect(await previousPartFile(dir, { file: 'b07.arrow', sha256: sha('the bytes') }, fileStamp(path.join(dir, 'b07.arrow')))).toBeNull();
    expect(await previousPartFile(dir, { file: `../${path.basename(dir)}/${NAME}`, sha256: sha('the bytes') }, stamp)).toBeNull();
  });

  it('reads a previous state\'s stamps only as a record of text', () => {
    expect(recordedStamps({ [NAME]: '9:1' })).toEqual({ [NAME]: '9:1' });
    expect(recordedStamps({ [NAME]: 9 })).toEqual({});
    expect(recordedStamps(['9:1'])).toEqual({});
    expect(recordedStamps(undefined)).toEqual({});
  });
});
