import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEnvironment } from './environment';

describe('readEnvironment', () => {
  it('reads .env under the environment, which wins, and writes nothing back', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zlq-env-')), '.env');
    writeFileSync(file, 'PORT=4000\nLOG_LEVEL=debug\n');
    const env: NodeJS.ProcessEnv = { PORT: '5000' };
    expect(readEnvironment(env, file)).toMatchObject({ PORT: '5000', LOG_LEVEL: 'debug' });
    expect(env).toEqual({ PORT: '5000' });
  });

  it('is the environment alone when there is no .env', () => {
    expect(readEnvironment({ PORT: '1' }, join(tmpdir(), 'no-such-dir', '.env'))).toEqual({
      PORT: '1',
    });
  });
});
