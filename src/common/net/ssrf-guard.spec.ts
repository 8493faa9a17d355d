import fc from 'fast-check';
import { createServer, Server } from 'node:http';
import { fetch } from 'undici';
import { addressClass, EgressRefusedError, isPublicAddress, SsrfGuard } from './ssrf-guard';

describe('address classes', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '240.0.0.1',
    '::1',
    '::',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '::ffff:10.0.0.1',
    '64:ff9b::7f00:1',
    // IPv4-compatible (deprecated ::/96): judged as the IPv4 address it embeds.
    '::7f00:1',
    '::127.0.0.1',
    '::a9fe:a9fe',
    '::ffff:0:7f00:1',
    '2002:7f00:1::',
    'fd00:ec2::254',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::808:808'])(
    'allows public %s',
    (ip) => {
      expect(isPublicAddress(ip)).toBe(true);
    },
  );

  it('refuses every address in the private IPv4 blocks', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, (a, b, c) => {
        expect(isPublicAddress(`10.${a}.${b}.${c}`)).toBe(false);
        expect(isPublicAddress(`192.168.${a}.${b}`)).toBe(false);
        expect(isPublicAddress(`172.${16 + (a % 16)}.${b}.${c}`)).toBe(false);
        expect(isPublicAddress(`127.${a}.${b}.${c}`)).toBe(false);
        expect(isPublicAddress(`169.254.${a}.${b}`)).toBe(false);
        expect(isPublicAddress(`::ffff:10.${a}.${b}.${c}`)).toBe(false);
      }),
    );
  });

  it('names the class it refused', () => {
    expect(addressClass('169.254.169.254')).toBe('linkLocal');
    expect(addressClass('::ffff:127.0.0.1')).toBe('loopback');
  });
});

describe('SsrfGuard', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/redirect') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
      } else res.end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const closed = new SsrfGuard({ allowPrivateNetworks: false, allowedHosts: [] });

  it('refuses non-http schemes and private IP literals before connecting', () => {
    expect(() => closed.assertUrl('file:///etc/passwd')).toThrow(EgressRefusedError);
    expect(() => closed.assertUrl('gopher://x')).toThrow(/scheme/);
    expect(() => closed.assertUrl('http://127.0.0.1/')).toThrow(/loopback/);
    expect(() => closed.assertUrl('http://169.254.169.254/latest')).toThrow(/linkLocal/);
    expect(() => closed.assertUrl('http://[::1]:8080/')).toThrow(/loopback/);
    expect(() => closed.assertUrl('http://[::ffff:127.0.0.1]/')).toThrow(/loopback/);
    expect(closed.assertUrl('https://93.184.216.34/').hostname).toBe('93.184.216.34');
  });

  it('refuses a host name that resolves to a private address, at connect time', async () => {
    const dispatcher = closed.createDispatcher();
    try {
      const err = await fetch(`http://localhost:${port}/`, { dispatcher }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect(String((err as Error & { cause?: unknown }).cause)).toMatch(/Refused to connect to localhost/);
    } finally {
      await dispatcher.close();
    }
  });

  it('never says what a host name resolved to, and names the setting that exempts a host', () => {
    const guard = new SsrfGuard({
      allowPrivateNetworks: false,
      allowedHosts: [],
      allowSetting: 'CRAWLER_ALLOWED_HOSTS',
    });
    let err: unknown;
    try {
      guard.checkAddress('wiki.corp.internal', '10.1.2.3');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EgressRefusedError);
    expect((err as Error).message).toMatch(
      /wiki\.corp\.internal: the name resolves to a private address.*CRAWLER_ALLOWED_HOSTS/,
    );
    expect((err as Error).message).not.toContain('10.1.2.3');
    // An IP literal is its own address: naming it tells nothing new.
    expect(() => guard.checkAddress('10.1.2.3', '10.1.2.3')).toThrow(/10\.1\.2\.3 is a private address/);
  });

  it('lets tests open loopback by host or by the private-network switch', async () => {
    for (const guard of [
      new SsrfGuard({ allowPrivateNetworks: false, allowedHosts: ['localhost', '127.0.0.1'] }),
      new SsrfGuard({ allowPrivateNetworks: true, allowedHosts: [] }),
    ]) {
      guard.assertUrl(`http://127.0.0.1:${port}/`);
      const dispatcher = guard.createDispatcher();
      try {
        const res = await fetch(`http://localhost:${port}/`, { dispatcher });
        expect(await res.text()).toBe('ok');
      } finally {
        await dispatcher.close();
      }
    }
  });

  it('leaves redirects to the caller, whose next hop is checked again', async () => {
    const guard = new SsrfGuard({ allowPrivateNetworks: false, allowedHosts: ['localhost'] });
    const dispatcher = guard.createDispatcher();
    try {
      const res = await fetch(`http://localhost:${port}/redirect`, { dispatcher, redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(() => guard.assertUrl(new URL(res.headers.get('location')!))).toThrow(/169\.254\.169\.254/);
    } finally {
      await dispatcher.close();
    }
  });
});
