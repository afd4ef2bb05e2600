import { mongo } from 'mongoose';
import { DUPLICATE_KEY, isDuplicateKey, retryLostInsertRace } from './duplicate-key';

/** What the driver builds from a server's error reply. */
function serverError(code: number | undefined, errmsg: string): mongo.MongoServerError {
  return new mongo.MongoServerError({ ok: 0, code, errmsg });
}

/** Measured on a PostgreSQL-based engine for two upserts of one new key racing each other. */
const EXCLUSION_MESSAGE =
  'conflicting key value violates exclusion constraint "documents_rum_index_1234"';

describe('isDuplicateKey: a unique index refused the write, on every supported engine', () => {
  it('MongoDB and the test server: code 11000', () => {
    expect(
      isDuplicateKey(serverError(DUPLICATE_KEY, 'E11000 duplicate key error collection')),
    ).toBe(true);
  });

  it('PostgreSQL-based engines (DocumentDB / Cosmos DB vCore, FerretDB 2): code 1 with the exclusion-constraint message', () => {
    expect(isDuplicateKey(serverError(1, EXCLUSION_MESSAGE))).toBe(true);
    expect(isDuplicateKey(serverError(1, EXCLUSION_MESSAGE.toUpperCase()))).toBe(true);
  });

  it('one entry of a bulk write: its code and errmsg', () => {
    expect(isDuplicateKey({ code: 1, errmsg: EXCLUSION_MESSAGE })).toBe(true);
    expect(isDuplicateKey({ code: DUPLICATE_KEY, errmsg: 'E11000' })).toBe(true);
  });

  it('code 1 for anything else is not a conflict', () => {
    expect(isDuplicateKey(serverError(1, 'internal error'))).toBe(false);
    expect(isDuplicateKey(serverError(1, 'violates check constraint'))).toBe(false);
  });

  it('other codes, codeless errors and non-errors are not a conflict', () => {
    expect(isDuplicateKey(serverError(2, EXCLUSION_MESSAGE))).toBe(false);
    expect(isDuplicateKey(serverError(undefined, 'Unknown error: null'))).toBe(false);
    expect(isDuplicateKey(new Error(EXCLUSION_MESSAGE))).toBe(false);
    expect(isDuplicateKey(null)).toBe(false);
    expect(isDuplicateKey('E11000')).toBe(false);
  });
});

describe('retryLostInsertRace', () => {
  it('runs the upsert again after a lost insert race, on either engine', async () => {
    for (const lost of [serverError(DUPLICATE_KEY, 'E11000'), serverError(1, EXCLUSION_MESSAGE)]) {
      const upsert = jest.fn().mockRejectedValueOnce(lost).mockResolvedValueOnce('won');
      await expect(retryLostInsertRace(upsert)).resolves.toBe('won');
      expect(upsert).toHaveBeenCalledTimes(2);
    }
  });

  it('throws any other error at once', async () => {
    const other = serverError(1, 'internal error');
    const upsert = jest.fn().mockRejectedValue(other);
    await expect(retryLostInsertRace(upsert)).rejects.toBe(other);
    expect(upsert).toHaveBeenCalledTimes(1);
  });

  it('gives up after three lost races', async () => {
    const lost = serverError(1, EXCLUSION_MESSAGE);
    const upsert = jest.fn().mockRejectedValue(lost);
    await expect(retryLostInsertRace(upsert)).rejects.toBe(lost);
    expect(upsert).toHaveBeenCalledTimes(3);
  });
});
