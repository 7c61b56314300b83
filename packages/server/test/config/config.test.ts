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

  it('accepts MySQL and MariaDB URLs that name a database', () => {
    const url = 'mysql://aims:secret@db.example:3306/aims?ssl=true';
    expect(loadConfig({ AIMS_DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({}, { databaseUrl: 'mariadb://root@127.0.0.1/aims' }).databaseUrl).toBe(
      'mariadb://root@127.0.0.1/aims',
    );
    // The message never repeats a password.
    expect(() => loadConfig({ AIMS_DATABASE_URL: 'mysql://u:hunter2@host' })).toThrow(/mysql:\/\/u:\*\*\*@host/);
    expect(() => loadConfig({ AIMS_DATABASE_URL: 'mysql://u:hunter2@host' })).not.toThrow(/hunter2/);
  });

  it("builds a MySQL URL from the seed deployment's DB_* variables", () => {
    const seed = { DB_NAME: 'aims', DB_USER: 'aims', DB_PASSWORD: 'p@ss:w/rd%', HOST_DB_PORT: '3307' };
    const url = new URL(loadConfig(seed).databaseUrl);
    expect(url.protocol).toBe('mysql:');
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).toBe('3307');
    expect(url.pathname).toBe('/aims');
    expect(decodeURIComponent(url.username)).toBe('aims');
    expect(decodeURIComponent(url.password)).toBe('p@ss:w/rd%');
    expect(url.search).toBe('');
    // DB_PORT (the port at DB_HOST) wins over HOST_DB_PORT; TLS with a CA file.
    const tls = new URL(
      loadConfig({ ...seed, DB_HOST: 'mysql', DB_PORT: '3306', DB_SSL_ENABLED: 'true', DB_SSL_CA: '/etc/ca.pem' })
        .databaseUrl,
    );
    expect([tls.hostname, tls.port]).toEqual(['mysql', '3306']);
    expect(tls.searchParams.get('ssl')).toBe('true');
    expect(tls.searchParams.get('ssl-ca')).toBe('/etc/ca.pem');
    expect(new URL(loadConfig({ ...seed, DB_SSL_ENABLED: 'false', DB_SSL_CA: '/ca' }).databaseUrl).search).toBe('');
  });

  it('refuses DB_* variables that are incomplete or that name another catalog than AIMS_DATABASE_URL or --db', () => {
    expect(() => loadConfig({ DB_HOST: 'db', DB_USER: 'aims' })).toThrow(/^DB_NAME: is required when DB_HOST, DB_USER/);
    expect(() => loadConfig({ DB_NAME: 'aims', DB_PORT: 'x' })).toThrow(/^DB_PORT: /);
    expect(() => loadConfig({ DB_NAME: 'aims', DB_SSL_ENABLED: 'perhaps' })).toThrow(/^DB_SSL_ENABLED: /);
    const seed = { DB_NAME: 'aims', DB_USER: 'aims', DB_PASSWORD: 'secret' };
    expect(() => loadConfig({ ...seed, AIMS_DATABASE_URL: 'postgres://127.0.0.1/aims' })).toThrow(
      /^AIMS_DATABASE_URL: names postgres:\/\/127\.0\.0\.1\/aims, but DB_NAME, DB_USER, DB_PASSWORD describe mysql:\/\/aims:\*\*\*@127\.0\.0\.1:3306\/aims/,
    );
    expect(() => loadConfig(seed, { databaseUrl: 'sqlite:/tmp/x.db' })).toThrow(/^--db: .*not both/);
    expect(() => loadConfig({ ...seed, AIMS_DATABASE_URL: 'postgres://x/aims' })).not.toThrow(/secret/);
    // The same catalog both ways is no conflict.
    const same = loadConfig(seed).databaseUrl;
    expect(loadConfig({ ...seed, AIMS_DATABASE_URL: same }).databaseUrl).toBe(same);
  });

  it('reads the work budgets: a file time budget, preview renders and their queue', () => {
    expect(loadConfig({})).toMatchObject({ fileTimeBudgetSeconds: 300, previewRenders: 2, previewQueue: 32 });
    const set = loadConfig({ AIMS_FILE_TIME_BUDGET: '30', AIMS_PREVIEW_RENDERS: '4', AIMS_PREVIEW_QUEUE: '0' });
    expect(set).toMatchObject({ fileTimeBudgetSeconds: 30, previewRenders: 4, previewQueue: 0 });
    expect(() => loadConfig({ AIMS_FILE_TIME_BUDGET: '0' })).toThrow(/^AIMS_FILE_TIME_BUDGET: /);
    expect(() => loadConfig({ AIMS_PREVIEW_RENDERS: '0' })).toThrow(/^AIMS_PREVIEW_RENDERS: /);
    expect(() => loadConfig({ AIMS_PREVIEW_QUEUE: '-1' })).toThrow(/^AIMS_PREVIEW_QUEUE: /);
  });

  it("reads TAP's limits, and refuses a default MAXREC above the hard one", () => {
    expect(loadConfig({}).tap).toEqual({
      maxRec: 10_000,
      maxRecLimit: 1_000_000,
      syncSeconds: 60,
      asyncSeconds: 3600,
      retentionDays: 7,
    });
    const set = loadConfig({
      AIMS_TAP_MAXREC: '50',
      AIMS_TAP_MAXREC_LIMIT: '500',
      AIMS_TAP_SYNC_SECONDS: '5',
      AIMS_TAP_ASYNC_SECONDS: '120',
      AIMS_TAP_RETENTION_DAYS: '2',
    });
    expect(set.tap).toEqual({ maxRec: 50, maxRecLimit: 500, syncSeconds: 5, asyncSeconds: 120, retentionDays: 2 });
    // A hard limit below the usual default lowers the default with it.
    expect(loadConfig({ AIMS_TAP_MAXREC_LIMIT: '100' }).tap.maxRec).toBe(100);
    expect(() => loadConfig({ AIMS_TAP_MAXREC: '600', AIMS_TAP_MAXREC_LIMIT: '500' })).toThrow(/^AIMS_TAP_MAXREC: /);
    expect(() => loadConfig({ AIMS_TAP_SYNC_SECONDS: '0' })).toThrow(/^AIMS_TAP_SYNC_SECONDS: /);
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
