import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDotEnv } from '../../src/config/config.js';

describe('configuration', () => {
  it('defaults to an embedded SQLite file under ./data', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toMatch(/^sqlite:.*\/data\/aims\.db$/);
    expect(config.port).toBe(8080);
    expect(config.qualityThreshold).toBe(60);
  });

  it('accepts LOCAL_IMAGE_PATH as an alias of AIMS_IMAGE_DIR, several roots separated by ":"', () => {
    expect(loadConfig({ LOCAL_IMAGE_PATH: '/a:/b' }).imageDirs).toEqual(['/a', '/b']);
    expect(loadConfig({ AIMS_IMAGE_DIR: '/c', LOCAL_IMAGE_PATH: '/a' }).imageDirs).toEqual(['/c']);
  });

  it('names the variable that is invalid', () => {
    expect(() => loadConfig({ AIMS_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ AIMS_PORT: 'eighty' })).toThrow(/^AIMS_PORT: /);
    expect(() => loadConfig({ AIMS_DATABASE_URL: 'mysql://x' })).toThrow(/^AIMS_DATABASE_URL: /);
    expect(() => loadConfig({ AIMS_QUALITY_THRESHOLD: '101' })).toThrow(/^AIMS_QUALITY_THRESHOLD: /);
    expect(() => loadConfig({ AIMS_PUBLIC_READ: 'maybe' })).toThrow(/^AIMS_PUBLIC_READ: /);
  });

  it('reads the work budgets: a file time budget, preview renders and their queue', () => {
    expect(loadConfig({})).toMatchObject({ fileTimeBudgetSeconds: 300, previewRenders: 2, previewQueue: 32 });
    const set = loadConfig({ AIMS_FILE_TIME_BUDGET: '30', AIMS_PREVIEW_RENDERS: '4', AIMS_PREVIEW_QUEUE: '0' });
    expect(set).toMatchObject({ fileTimeBudgetSeconds: 30, previewRenders: 4, previewQueue: 0 });
    expect(() => loadConfig({ AIMS_FILE_TIME_BUDGET: '0' })).toThrow(/^AIMS_FILE_TIME_BUDGET: /);
    expect(() => loadConfig({ AIMS_PREVIEW_RENDERS: '0' })).toThrow(/^AIMS_PREVIEW_RENDERS: /);
    expect(() => loadConfig({ AIMS_PREVIEW_QUEUE: '-1' })).toThrow(/^AIMS_PREVIEW_QUEUE: /);
  });

  it('reads .env syntax with quotes and comments', () => {
    expect(parseDotEnv('# c\nA=1\nexport B="two words"\nC=3 # note\n')).toEqual({ A: '1', B: 'two words', C: '3' });
  });

  it('trusts no proxy by default, a hop count, or listed proxy addresses and CIDRs', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ AIMS_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ AIMS_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(loadConfig({ AIMS_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ AIMS_TRUST_PROXY: ' 2 ' }).trustProxy).toBe(2);
    expect(loadConfig({ AIMS_TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8,loopback' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      '::1',
      'fd00::/8',
      'loopback',
    ]);
  });

  it('refuses to trust every hop, and names AIMS_TRUST_PROXY for malformed values', () => {
    for (const everyHop of ['true', 'TRUE', 'yes', 'on'])
      expect(() => loadConfig({ AIMS_TRUST_PROXY: everyHop })).toThrow(
        /^AIMS_TRUST_PROXY: .*every hop.*number of proxies/,
      );
    for (const bad of ['10.0.0.0/33', 'proxy.example', '10.0.0.1/8/1', '::1/129', '17', '1.2.3', ','])
      expect(() => loadConfig({ AIMS_TRUST_PROXY: bad }), bad).toThrow(/^AIMS_TRUST_PROXY: /);
  });
});
