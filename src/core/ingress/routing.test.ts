import { describe, expect, it } from 'vitest';
import type { Ingress } from './types';
import { buildRouteTable } from './controller';
import { hostMatches, prefixMatches, routeRequest } from './routing';

const be = (name: string, port = 80) => ({ service: { name, port: { number: port } } });
const ing = (name: string, spec: Ingress['spec']): Ingress => ({ kind: 'Ingress', metadata: { name, namespace: 'default' }, spec });

const table = buildRouteTable([
  ing('shop', {
    ingressClassName: 'nginx',
    defaultBackend: be('fallback'),
    rules: [
      {
        host: 'shop.example.com',
        http: {
          paths: [
            { path: '/', pathType: 'Prefix', backend: be('web') },
            { path: '/api', pathType: 'Prefix', backend: be('api') },
            { path: '/api/v2', pathType: 'ImplementationSpecific', backend: be('api-v2') },
            { path: '/api/login', pathType: 'Prefix', backend: be('login-prefix') },
            { path: '/api/login', pathType: 'Exact', backend: be('login-exact') },
          ],
        },
      },
    ],
  }),
  ing('wild', { rules: [{ host: '*.apps.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('apps') }] } }, { http: { paths: [{ path: '/status', pathType: 'Exact', backend: be('status') }] } }] }),
]);

function backend(host: string, path: string): string {
  const d = routeRequest(table, host, path);
  if (d.kind === 'route') return d.route.backend.service!.name!;
  if (d.kind === 'default') return `default:${d.backend.service!.name}`;
  return '404';
}

describe('Ingress path matching', () => {
  it('Prefix is element-wise on "/" with the trailing slash ignored', () => {
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb/')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb/ccc')).toBe(true);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbbxyz')).toBe(false);
    expect(prefixMatches('/aaa/bbb/', '/aaa/bbb')).toBe(true);
    expect(prefixMatches('/aaa/bb', '/aaa/bbb')).toBe(false);
    expect(prefixMatches('/', '/anything/at/all')).toBe(true);
  });

  it('the longest matching path wins, whatever the YAML order', () => {
    expect(backend('shop.example.com', '/')).toBe('web');
    expect(backend('shop.example.com', '/cart')).toBe('web');
    expect(backend('shop.example.com', '/api')).toBe('api');
    expect(backend('shop.example.com', '/api/items?id=3')).toBe('api');
    expect(backend('shop.example.com', '/apiary')).toBe('web');
    expect(backend('shop.example.com', '/api/v2/x')).toBe('api-v2'); // ImplementationSpecific as Prefix
  });

  it('on equal length Exact beats Prefix; Exact needs the whole string', () => {
    expect(backend('shop.example.com', '/api/login')).toBe('login-exact');
    expect(backend('shop.example.com', '/api/login/')).toBe('login-prefix');
    expect(backend('shop.example.com', '/api/login/x')).toBe('login-prefix');
  });
});

describe('Ingress host matching and defaults', () => {
  it('a wildcard host matches exactly one extra label', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(backend('a.apps.example.com', '/x')).toBe('apps');
    expect(backend('SHOP.example.com:443', '/')).toBe('web');
  });

  it('unknown hosts use the rules without a host; an Ingress with rules lends its defaultBackend to its own hosts only (ingress-nginx createServers)', () => {
    expect(backend('203.0.113.9', '/status')).toBe('status');
    expect(backend('shop.example.com', '/nothing-here')).toBe('web'); // its `/` Prefix
    // `shop` has rules, so the catch-all server keeps the controller's own default backend.
    expect(backend('other.example.org', '/')).toBe('404');
    expect(backend('203.0.113.9', '/other')).toBe('404');
    const onlyApi = buildRouteTable([ing('a', { defaultBackend: be('fallback'), rules: [{ host: 'a.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: be('api') }] } }] })]);
    expect(routeRequest(onlyApi, 'a.example.com', '/other')).toMatchObject({ kind: 'default', backend: be('fallback') });
    expect(routeRequest(onlyApi, 'b.example.com', '/other').kind).toBe('not-found');
  });

  it('an Ingress with a defaultBackend and no rules configures the catch-all server; a host takes the defaultBackend of the first Ingress that names it', () => {
    const t = buildRouteTable([
      ing('a-first', { rules: [{ host: 'x.example.com', http: { paths: [{ path: '/a', pathType: 'Prefix', backend: be('a') }] } }] }),
      ing('b-second', { defaultBackend: be('b-default'), rules: [{ host: 'x.example.com', http: { paths: [{ path: '/b', pathType: 'Prefix', backend: be('b') }] } }] }),
      ing('c-catch-all', { defaultBackend: be('catch-all') }),
    ]);
    expect(routeRequest(t, 'x.example.com', '/b/1')).toMatchObject({ kind: 'route', route: { backend: be('b') } });
    // x.example.com's server belongs to a-first, which has no defaultBackend: 404, not b-default.
    expect(routeRequest(t, 'x.example.com', '/other').kind).toBe('not-found');
    expect(routeRequest(t, 'y.example.com', '/')).toMatchObject({ kind: 'default', backend: be('catch-all') });
  });

  it('with no rule and no defaultBackend the controller answers 404', () => {
    const t = buildRouteTable([ing('a', { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/app', pathType: 'Exact', backend: be('app') }] } }] })]);
    expect(routeRequest(t, 'a.example.com', '/app/').kind).toBe('not-found');
    expect(routeRequest(t, 'b.example.com', '/app').kind).toBe('not-found');
  });
});
